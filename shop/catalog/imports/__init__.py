"""The catalogue in bulk (CSV, XLSX) with django-import-export: products, stock levels and
tax rates exported from the admin's filtered changelist and imported with a preview of every
row, errors per row, one transaction and one pricing version bump per confirmed import.

`widgets` reads a manager's cells strictly (category paths, image file names, formula-looking
text), `resources` maps rows to products and stock levels, `services` attaches the images an
import names, `admin` is the changelist mixin with the pages."""
