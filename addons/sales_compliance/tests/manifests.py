"""Every addon's manifest parsed once, when the tests are loaded.

CPython 3.11's AST constructor is not thread-safe (python/cpython#106905): two HTTP threads of a
test server parsing manifests at once (``ast.literal_eval`` for the first request of a tour)
can raise ``SystemError: AST constructor recursion depth mismatch`` and answer a tour with a
500. Odoo caches each parsed manifest: parsed here, in the loading thread, no test server's
thread parses one again."""

from odoo.modules.module import get_manifest, get_modules

for _module in get_modules():
    get_manifest(_module)
