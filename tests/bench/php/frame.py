"""make bench: the frame of the PHP comparison page, from a record page the
module rendered (everything around its <article>), as PHP string literals."""
import sys

page = open(sys.argv[1], encoding="utf-8").read()
head = page[:page.index("<article")]
tail = page[page.index("</article>") + len("</article>"):]


def literal(text):
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


with open(sys.argv[2], "w", encoding="utf-8") as f:
    f.write("<?php\n$FRAME_HEAD = %s;\n$FRAME_TAIL = %s;\n" % (literal(head), literal(tail)))
