// Prints the statuses the hub answers today for the routes in REQUESTS, in the matrix's notation, so that a
// person can review them and write them into EXPECTED (other_environment is derived, see expectedStatus). Usage: node --import tsx test/authz/print-matrix.ts
import { ROLES } from '../../policies/index.js';
import { startTestHub } from '../support/hub.js';
import { REQUESTS } from './matrix.js';
import { RELATIONS, World } from './world.js';

const hub = await startTestHub();
try {
  const world = await World.build(hub);
  for (const [operationId, request] of Object.entries(REQUESTS)) {
    const cells: string[] = [];
    for (const role of ROLES) {
      const quad: number[] = [];
      for (const relation of RELATIONS.slice(0, 4)) {
        const req = await request(world, relation);
        const init = req.body === undefined ? {} : { body: JSON.stringify(req.body), headers: { 'content-type': 'application/json' } };
        quad.push((await world.client(role).raw(req.method, req.path, init)).status);
      }
      cells.push(`${role}: q(${quad.join(', ')})`);
    }
    process.stdout.write(`  ${operationId}: { ${cells.join(', ')} },\n`);
  }
} finally {
  await hub.stop();
}
