"""Reading documents (.txt, .md, .pdf, .html, uploads) and splitting them into sentence units and clauses."""
