"""Local Sphinx extensions of the book, one module per concern."""
