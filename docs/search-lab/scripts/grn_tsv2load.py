#!/usr/bin/python3
"""stdin: TSV from `mariadb -N -B` (id, disclosed_on, withdraw_on, listed, status, district,
subject_kind, category, domain, severity, body); stdout: a Groonga `load` command."""
import sys, json
def unesc(s):
    if '\\' not in s: return s
    out=[]; i=0
    m={'t':'\t','n':'\n','\\':'\\','0':'\0'}
    while i < len(s):
        c=s[i]
        if c=='\\' and i+1<len(s): out.append(m.get(s[i+1], s[i+1])); i+=2
        else: out.append(c); i+=1
    return ''.join(out)
w=sys.stdout.write
w('load --table Records --columns "_key,disclosed_on,withdraw_on,listed,status,district,subject_kind,category,domain,severity,body"\n[\n')
first=True
for line in sys.stdin:
    f=line.rstrip('\n').split('\t')
    row=[int(f[0]), int(f[1].replace('-','')), int(f[2].replace('-','')), int(f[3])] + f[4:10] + [unesc(f[10])]
    if not first: w(',\n')
    w(json.dumps(row, ensure_ascii=False)); first=False
w('\n]\n')
