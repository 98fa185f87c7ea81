#!/usr/bin/python3
"""Build words/workload.tsv from words/candidates.tsv (title substrings).
Body df of each candidate is taken from the Groonga copy (nhits of body @ w, no window).
Per length: common = 100 highest df, rare = 100 lowest df. Each word gives two queries:
no filter, and 1-2 random equality filters (seeded). Columns: qid cls word filters."""
import http.client, json, urllib.parse, random, os
LAB = os.environ.get('LAB', '/work/search-lab'); PORT = int(os.environ['GRN_PORT'])
c = http.client.HTTPConnection('127.0.0.1', PORT)
def df(w):
    q = urllib.parse.urlencode({'table': 'Records', 'filter': 'body @ "%s"' % w, 'limit': 0,
                                'cache': 'no', 'output_columns': '_key'})
    c.request('GET', '/d/select?' + q); r = json.loads(c.getresponse().read())
    return r[1][0][0][0]
cands = {2: [], 4: []}
for line in open(f'{LAB}/words/candidates.tsv'):
    L, w, tf = line.split('\t'); cands[int(L)].append((w, int(tf)))
rows = []
with open(f'{LAB}/words/candidates_df.tsv', 'w') as f:
    for L in (2, 4):
        scored = sorted(((df(w), w) for w, _ in cands[L]), reverse=True)
        for d, w in scored: f.write(f'{L}\t{w}\t{d}\n')
        rows += [(f'{L}c-common', w, d) for d, w in scored[:100]]
        rows += [(f'{L}c-rare', w, d) for d, w in scored[-100:]]
VALUES = {'district': ['city', 'heping', 'hedong', 'hexi', 'nankai', 'hebei', 'hongqiao', 'dongli',
                       'xiqing', 'jinnan', 'beichen', 'wuqing', 'baodi', 'binhai', 'ninghe',
                       'jinghai', 'jizhou'],
          'subject_kind': ['gov', 'official'],
          'category': ['judgment', 'penalty', 'discipline', 'accountability', 'breach'],
          'domain': ['procurement', 'ppp', 'bidding', 'investment', 'debt', 'grassroots', 'other'],
          'severity': ['minor', 'general', 'serious'],
          'status': ['published', 'contested', 'corrected']}
rnd = random.Random(20261205)
qid = 0
with open(f'{LAB}/words/workload.tsv', 'w') as f:
    f.write('qid\tcls\tword\tfilters\tdf\n')
    for cls, w, d in rows:
        for filt in (False, True):
            fs = '-'
            if filt:
                cols = rnd.sample(sorted(VALUES), rnd.choice((1, 2)))
                fs = ','.join(f'{k}={rnd.choice(VALUES[k])}' for k in cols)
            qid += 1
            f.write(f'{qid}\t{cls}{"+f" if filt else ""}\t{w}\t{fs}\t{d}\n')
print(qid, 'queries')
