import json,sys,collections
p=json.load(open(sys.argv[1]))
nodes={n['id']:n for n in p['nodes']}
dt=collections.Counter()
samples=p['samples']; deltas=p['timeDeltas']
for s,d in zip(samples,deltas): dt[s]+=d
self_by=collections.Counter(); file_by=collections.Counter()
for nid,t in dt.items():
    cf=nodes[nid]['callFrame']
    self_by[(cf['functionName'] or '(anon)', cf['url'].split('/node_modules/')[-1][-60:], cf['lineNumber'])]+=t
    u=cf['url']
    key = u.split('/node_modules/')[1].split('/')[0] if '/node_modules/' in u else (u.replace('file:///work/main/','')[:50] or cf['functionName'])
    file_by[key]+=t
tot=sum(dt.values())
print('total ms',tot/1000)
for k,v in file_by.most_common(25): print(f'{v/1000:9.1f} {100*v/tot:5.1f}% {k}')
print()
for k,v in self_by.most_common(30): print(f'{v/1000:9.1f} {100*v/tot:5.1f}% {k}')
