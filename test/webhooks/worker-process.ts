// A hub delivery worker in its own process, for the multi-process and kill -9 tests and the benchmark.
// Usage: node --import tsx test/webhooks/worker-process.ts <database-url> '<options json>'
import { connectDatabase } from '../../hub/db/index.js';
import { startDeliveryWorker, type DeliveryOptionsInput } from '../../hub/webhooks/index.js';
import { LOOPBACK_CEILING, silentLog, testSecrets } from './support.js';

const [url, optionsJson = '{}'] = process.argv.slice(2);
if (!url) {
  process.stderr.write('usage: worker-process.ts <database-url> [options-json]\n');
  process.exit(2);
}
const db = connectDatabase({ databaseUrl: url, dataDir: 'memory', poolMax: 8 });
const worker = startDeliveryWorker({ knex: db.knex, log: silentLog, options: JSON.parse(optionsJson) as DeliveryOptionsInput, allowedPrivateRanges: LOOPBACK_CEILING, secrets: testSecrets() });
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  void worker.stop().then(() => db.close()).then(() => process.exit(0));
});
