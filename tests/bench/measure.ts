// One measured step in a process of its own, so its peak RSS is its own. Prints one JSON line.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { ingest } from '../../jobs/ingest.js';
import { nightly } from '../../jobs/nightly.js';
import { segment } from '../../jobs/segment.js';
import { transform } from '../../jobs/transform.js';
import { loadConfig } from '../../src/config.js';
import { openWarehouse } from '../../src/db/open.js';
import { migrate } from '../../src/db/migrate.js';
import { behaviouralClusters, assignSegments, explainClusters, nameClusters, perDimensionClusters, rfmScores, mulberry32, type CustomerFeatures } from '../../src/models/index.js';
import { fitBgNbd, fitGammaGamma, scoreCustomers } from '../../src/models/clv/index.js';
import { runJob, type Job } from '../../src/runtime/job-runner.js';
import { createLog } from '../../src/runtime/log.js';

const [step, arg, asOf] = process.argv.slice(2);
const config = loadConfig();
const log = createLog('silent');
const jobs: Record<string, Job> = { ingest, transform, segment, nightly };

function report(fields: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ step, ...fields, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
}

/** Seeded synthetic customers: heavy-tailed spend and frequency, recency spread over two years. */
function syntheticCustomers(n: number): CustomerFeatures[] {
  const random = mulberry32(7);
  return Array.from({ length: n }, (_, i) => {
    const frequency = 1 + Math.floor(-Math.log(1 - random()) * 3 * (random() < 0.2 ? 4 : 1));
    return {
      customerId: String(100000 + i),
      recencyDays: Math.floor(random() * 730),
      frequency,
      monetary: Math.round(frequency * 20 * Math.exp(random() * 3) * 100) / 100,
      tenureDays: 730,
    };
  });
}

if (step === 'baseline') {
  // Modules loaded, nothing done: the floor under every other figure.
  await openWarehouse(config).then((w) => w.close());
  report({ seconds: 0 });
} else if (step === 'job') {
  const job = jobs[arg ?? ''];
  if (!job) throw new Error(`unknown job ${arg}`);
  const warehouse = await openWarehouse(config);
  await warehouse.withSession((s) => migrate(s));
  const started = performance.now();
  const outcome = await runJob(warehouse, job, { config, log, source: config.sourceUri, asOf });
  const seconds = (performance.now() - started) / 1000;
  await warehouse.close();
  const bytes = config.sourceUri && existsSync(config.sourceUri) ? statSync(config.sourceUri).size : undefined;
  report({ job: arg, seconds, bytes, summary: outcome.status === 'succeeded' ? outcome.summary : outcome.status });
} else if (step === 'seed-customers') {
  const warehouse = await openWarehouse(config);
  await warehouse.withSession(async (s) => {
    await migrate(s);
    await s.query(readFileSync(new URL('seed-customers.sql', import.meta.url), 'utf8'), [Number(arg)]);
  });
  await warehouse.close();
  report({ customers: Number(arg) });
} else if (step === 'segment-models') {
  const customers = syntheticCustomers(Number(arg));
  const started = performance.now();
  const scores = rfmScores(customers);
  assignSegments(scores);
  perDimensionClusters(customers, { seed: 1 });
  const behaviour = behaviouralClusters(customers, { seed: 1 });
  const naming = nameClusters({ centroidsLog1p: behaviour.centroidsLog1p, standardisation: behaviour.standardisation });
  explainClusters(customers, behaviour.labels, naming.names, { seed: 1 });
  report({ customers: customers.length, seconds: (performance.now() - started) / 1000, k: behaviour.k });
} else if (step === 'clv-models') {
  // Histories drawn from the BG/NBD process itself (λ ~ Gamma(r, α), dropout p ~ Beta(a, b)) at
  // daily grain over up to two years, so the fit has a true optimum; its cost follows distinct patterns.
  const n = Number(arg);
  const random = mulberry32(11);
  const gamma = (shape: number): number => {
    // Marsaglia–Tsang, with the shape < 1 boost.
    if (shape < 1) return gamma(shape + 1) * random() ** (1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      const u1 = random() || 1e-12;
      const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * random());
      const v = (1 + c * z) ** 3;
      if (v > 0 && Math.log(random() || 1e-12) < 0.5 * z * z + d - d * v + d * Math.log(v)) return d * v;
    }
  };
  const rows = Array.from({ length: n }, () => {
    const T = 30 + Math.floor(random() * 700);
    const lambda = gamma(0.25) / 10;
    const ga = gamma(0.8);
    const p = ga / (ga + gamma(2.5));
    const days = new Set<number>([0]);
    for (let t = 0; ; ) {
      if (random() < p) break;
      t += -Math.log(1 - random()) / lambda;
      if (t > T) break;
      days.add(Math.floor(t));
    }
    const x = days.size - 1;
    const tx = Math.max(...days);
    return { x, tx, T, monetaryValue: x === 0 ? 0 : Math.round(20 * gamma(4) * 100) / 100 };
  });
  let started = performance.now();
  const bgnbd = fitBgNbd(rows, {});
  const gg = fitGammaGamma(rows.filter((r) => r.x > 0 && r.monetaryValue > 0).map((r) => ({ x: r.x, monetaryValue: r.monetaryValue })), {});
  const fitSeconds = (performance.now() - started) / 1000;
  started = performance.now();
  scoreCustomers(bgnbd.params, gg.params, rows, {});
  const scoreSeconds = (performance.now() - started) / 1000;
  report({ customers: n, fitSeconds, scoreSeconds, bgnbd: bgnbd.status, gammaGamma: gg.status });
} else {
  throw new Error(`unknown step ${step}`);
}
