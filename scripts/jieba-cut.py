"""jieba in a process of its own, for hooks/search.py: a first build's Chinese text is cut here, on another core.

argv[1]: JSON {"dictionary": path or null, "user_dictionary": path or null}, Material's search settings
stdin:   one JSON string a line, as the build meets them (jieba loads its dictionary meanwhile)
stdout:  their words, one JSON list a line, in the same order, once stdin is closed
"""

import json
import sys

import jieba

settings = json.loads(sys.argv[1])
if settings["dictionary"]:  # as Material's search plugin sets jieba up (its on_config)
    jieba.set_dictionary(settings["dictionary"])
if settings["user_dictionary"]:
    jieba.load_userdict(settings["user_dictionary"])
jieba.initialize()
sys.stdin.reconfigure(encoding="utf-8")
sys.stdout.reconfigure(encoding="utf-8")
# Cut as the texts come, answer at the end: the build reads the answers only then, and a full
# stdout pipe must never stop this process from reading its stdin.
answers = [json.dumps(list(jieba.cut(json.loads(line))), ensure_ascii=False) for line in sys.stdin]
sys.stdout.write("".join(answer + "\n" for answer in answers))
