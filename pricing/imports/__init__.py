"""Price rules, quantity rules and cart discounts exported and imported in bulk (CSV, XLSX) with
django-import-export: a preview of every row before anything is written, one transaction and
one pricing version bump per confirmed import, and an undo of the last import of each model.

`resources` maps rows to rules (related objects by SKU, slug or email), `preview` reads a file
and describes what an import would do, `services` writes it and undoes it, `admin` is the
changelist mixin with the pages."""
