"""Evidence pages: YAML entries -> checked model -> Markdown -> a searchable MkDocs site."""

__version__ = "0.1.0"
