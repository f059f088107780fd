import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseNodeList, parseQuorumReplication, parseQuorumStatus, quorumProblems, summarize } from '../helpers/kafka-admin.js';

// Output of kafka-metadata-quorum.sh 4.4.0 (tabs and padding as printed) from a 3-node KRaft cluster.
const STATUS = `ClusterId:              YZzv4T17Ria0ltY5R_7ZPg
LeaderId:               2
LeaderEpoch:            3
HighWatermark:          1819
MaxFollowerLag:         0
MaxFollowerLagTimeMs:   202
CurrentVoters:          [{"id": 0, "endpoints": ["CONTROLLER://127.0.0.1:29190"]}, {"id": 1, "endpoints": ["CONTROLLER://127.0.0.1:29191"]}, {"id": 2, "endpoints": ["CONTROLLER://127.0.0.1:29192"]}]
CurrentObservers:       []
`;
const REPLICATION = [
  'NodeId\tDirectoryId           \tLogEndOffset\tLag\tLastFetchTimestamp\tLastCaughtUpTimestamp\tStatus  \t',
  '2     \tAAAAAAAAAAAAAAAAAAAAAA\t1833        \t0  \t1795463992618     \t1795463992618        \tLeader  \t',
  '0     \tAAAAAAAAAAAAAAAAAAAAAA\t1833        \t0  \t1795463992248     \t1795463992248        \tFollower\t',
  '1     \tAAAAAAAAAAAAAAAAAAAAAA\t1700        \t133\t1795463992246     \t1795463992246        \tFollower\t',
].join('\n');

test('quorum --status: leader, voters (KIP-853 objects), observers', () => {
  const s = parseQuorumStatus(STATUS);
  assert.is(s.leaderId, 2);
  assert.is(s.highWatermark, 1819);
  assert.equal(s.voters, [0, 1, 2]);
  assert.equal(s.observers, []);
  assert.equal(parseNodeList('[1,2,3]'), [1, 2, 3]);
  assert.throws(() => parseQuorumStatus('ClusterId: x\n'), /no LeaderId/);
});

test('quorum --replication rows and what makes a quorum unhealthy', () => {
  const rows = parseQuorumReplication(REPLICATION);
  assert.equal(rows.map((r) => [r.nodeId, r.lag, r.status]), [[2, 0, 'Leader'], [0, 0, 'Follower'], [1, 133, 'Follower']]);
  const status = parseQuorumStatus(STATUS);
  assert.equal(quorumProblems(status, rows, [0, 1, 2]), []);
  assert.equal(quorumProblems(status, rows, [0, 1, 2], 100), ['voter 1 lags by 133']);
  assert.equal(quorumProblems(status, rows, [0, 1, 2, 3]), ['voters are [0,1,2], expected [0,1,2,3]', 'voter 3 missing from --replication']);
  assert.equal(quorumProblems({ ...status, leaderId: -1 }, rows, [0, 1, 2]), ['no quorum leader (LeaderId -1)']);
});

test('ISR summary: under-replicated, under min ISR (capped at RF), offline', () => {
  const states = [
    { topic: 't', partition: 0, leader: 1, replicas: [0, 1, 2], isr: [0, 1, 2] },
    { topic: 't', partition: 1, leader: 1, replicas: [0, 1, 2], isr: [1, 2] },
    { topic: 't', partition: 2, leader: 1, replicas: [0, 1, 2], isr: [1] },
    { topic: 't', partition: 3, leader: -1, replicas: [0, 1, 2], isr: [] },
    { topic: 'rf1', partition: 0, leader: 0, replicas: [0], isr: [0] },
  ];
  const s = summarize(states, new Map([['t', 2], ['rf1', 2]]), 5);
  assert.equal(s, { time: 5, partitions: 5, underReplicated: 3, underMinIsr: 2, offline: 1 });
});

test.run();
