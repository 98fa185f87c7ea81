#!/usr/bin/python3
"""Extra class (beyond the title words): 'xrare' words taken from record bodies (names of
people, companies, projects) with body df <= 400, plus 10 absent words (df 0). Appends to
words/workload.tsv with the same filter sampling."""
import http.client, json, urllib.parse, random, os, re, subprocess
LAB = os.environ.get('LAB', '/work/search-lab'); PORT = int(os.environ['GRN_PORT'])
c = http.client.HTTPConnection('127.0.0.1', PORT)
def df(w):
    q = urllib.parse.urlencode({'table': 'Records', 'filter': 'body @ "%s"' % w, 'limit': 0, 'cache': 'no'})
    c.request('GET', '/d/select?' + q); return json.loads(c.getresponse().read())[1][0][0][0]
rnd = random.Random(7)
out = subprocess.run([f"{os.environ['MAIN']}/scripts/db.sh", 'sql', '-N', '-B', '-e',
    'SELECT facts FROM records WHERE id % 997 = 1 LIMIT 1000'], capture_output=True, text=True, check=True).stdout
texts = out.splitlines()
cjk = re.compile(r'^[\u4e00-\u9fff]+$')
picked = {2: {}, 4: {}}
tries = 0
while (len(picked[2]) < 40 or len(picked[4]) < 40) and tries < 6000:
    tries += 1
    t = rnd.choice(texts); L = rnd.choice((2, 4))
    if len(picked[L]) >= 40 or len(t) < L: continue
    i = rnd.randrange(len(t) - L + 1); w = t[i:i+L]
    if not cjk.match(w) or w in picked[L]: continue
    d = df(w)
    if 0 < d <= 400: picked[L][w] = d
# absent words: real characters in an order that never occurs
absent = {2: ['鲸鹦', '瀑琴', '蝌蚪', '翡翠', '骆驼'], 4: ['鲸鹦瀑琴', '合同采购', '责任政务', '拖欠负有', '项目失信']}
for L in (2, 4):
    for w in absent[L]:
        d = df(w)
        if d == 0: picked[L][w] = 0
VALUES = {'district': ['city', 'heping', 'hedong', 'hexi', 'nankai', 'hebei', 'hongqiao', 'dongli', 'xiqing', 'jinnan', 'beichen', 'wuqing', 'baodi', 'binhai', 'ninghe', 'jinghai', 'jizhou'],
          'subject_kind': ['gov', 'official'], 'category': ['judgment', 'penalty', 'discipline', 'accountability', 'breach'],
          'domain': ['procurement', 'ppp', 'bidding', 'investment', 'debt', 'grassroots', 'other'],
          'severity': ['minor', 'general', 'serious'], 'status': ['published', 'contested', 'corrected']}
lines = open(f'{LAB}/words/workload.tsv').read().splitlines()
lines = [l for l in lines if 'xrare' not in l]
qid = len(lines) - 1
with open(f'{LAB}/words/workload.tsv', 'w') as f:
    f.write('\n'.join(lines) + '\n')
    for L in (2, 4):
        for w, d in picked[L].items():
            for filt in (False, True):
                fs = '-'
                if filt:
                    cols = rnd.sample(sorted(VALUES), rnd.choice((1, 2)))
                    fs = ','.join(f'{k}={rnd.choice(VALUES[k])}' for k in cols)
                qid += 1
                f.write(f'{qid}\t{L}c-xrare{"+f" if filt else ""}\t{w}\t{fs}\t{d}\n')
print({L: len(picked[L]) for L in picked}, 'total queries', qid)
