#!/usr/bin/env bash
# Build the site with Zensical, Material for MkDocs' successor, from the Markdown that
# `python -m generator render` writes, and audit it: into site-zensical/, replaced only when the
# build and the audit passed. Nothing else of the project is touched: Zensical works in a folder
# of its own, since it keeps its cache in .cache/ beside its config and `zensical build --clean`
# deletes all of .cache/ (the generator's records with it).
source "$(dirname "$0")/env.sh" zensical
if [ $# -ne 0 ]; then
    echo "usage: bash scripts/zensical.sh   (it builds into site-zensical/)" >&2
    exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The same config as plain MkDocs (mkdocs.plain.yml, which inherits mkdocs.yml) and the same
# theme, less two copies of Material's partials that Zensical replaces with its own (its search
# dialog has an accessible name already), plus what only Zensical needs (site_templates/zensical).
cp mkdocs.yml mkdocs.plain.yml "$work/"
mkdir "$work/site_templates"
cp -R site_templates/theme "$work/site_templates/theme"
rm "$work/site_templates/theme/partials/header.html" "$work/site_templates/theme/partials/search.html"
cp -R site_templates/zensical/. "$work/site_templates/theme/"

python -m generator render "$work/rendered"
version=$(python -c 'import importlib.metadata as m; print(m.version("zensical"))')
(cd "$work" && zensical build --strict -f mkdocs.plain.yml)
python -m generator audit "$work/site"

rm -rf site-zensical.old
if [ -e site-zensical ]; then mv site-zensical site-zensical.old; fi
mv "$work/site" site-zensical
rm -rf site-zensical.old
echo "Built site-zensical/ with Zensical $version; the audit passed."
