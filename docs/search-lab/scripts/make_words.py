#!/usr/bin/python3
"""Sample the word lists from real titles (records.title). Output: words/candidates.tsv
(len, word, title_freq) -- all Chinese-only 2- and 4-character substrings of titles with
the number of records whose title contains them. Rarity is then decided on the body df
(see make_workload.py), because the body is what is searched."""
import subprocess, collections, os, re
LAB = os.environ.get('LAB', '/work/search-lab')
out = subprocess.run([f"{os.environ['MAIN']}/scripts/db.sh", 'sql', '-N', '-B', '-e',
                      'SELECT title, COUNT(*) FROM records GROUP BY title'],
                     capture_output=True, text=True, check=True).stdout
freq = {2: collections.Counter(), 4: collections.Counter()}
cjk = re.compile(r'^[\u4e00-\u9fff]+$')
for line in out.splitlines():
    title, n = line.rsplit('\t', 1)
    n = int(n)
    for L in (2, 4):
        subs = {title[i:i+L] for i in range(len(title) - L + 1)}
        for s in subs:
            if cjk.match(s):
                freq[L][s] += n
os.makedirs(f'{LAB}/words', exist_ok=True)
with open(f'{LAB}/words/candidates.tsv', 'w') as f:
    for L in (2, 4):
        for w, n in freq[L].most_common():
            f.write(f'{L}\t{w}\t{n}\n')
print({L: len(freq[L]) for L in freq})
