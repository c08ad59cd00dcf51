"""The plan itself: kinds of plan file, reading and loading them, the records, the outline with its
numbering, the document's words, and the unit registry."""
