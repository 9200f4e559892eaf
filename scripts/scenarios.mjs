// The page's benchmark scenarios, as links: what `make bench` measures (bench-page.mjs) and
// `make trace` records (trace-page.mjs), written once.

/** A laptop's screen, and a projector's (the lesson stage). */
export const VIEWPORT = { width: 1366, height: 768 };
export const PROJECTOR = { width: 1024, height: 768 };

/** Run 1 at η = 0.01 and five comparison runs: the η ladder, a slower rate, momentum, Adam. */
const SIX_RUNS = [
  { learning_rate: 0.005 }, { learning_rate: 0.02 }, // the η ladder around run 1's 0.01
  { learning_rate: 0.002 },
  { learning_rate: 0.002, optimizer: { kind: 'momentum', momentum: 0.9 } },
  { learning_rate: 0.01, optimizer: { kind: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-8 } },
].map((r) => ({ batch_size: 1, ...r }));
const LADDER = [{ learning_rate: 0.005 }, { learning_rate: 0.02 }].map((r) => ({ batch_size: 100_000, ...r }));

/** Each scenario: its settings by their link keys, and its screen. */
export const SCENARIOS = {
  // the default page at speed 2 (learning rate 0.001: still descending when the measure ends)
  a: { fields: { learningRate: 0.001 }, viewport: VIEWPORT },
  // n = 1e6, batch 1, speed 1000, six runs
  b: { fields: { points: 1_000_000, batchSize: 1, learningRate: 0.01, speed: 1000, runs: SIX_RUNS }, viewport: VIEWPORT },
  // n = 1e6, batch 1e5, speed 10, three runs
  c: { fields: { points: 1_000_000, batchSize: 100_000, learningRate: 0.01, speed: 10, runs: LADDER }, viewport: VIEWPORT },
  // (b) at degree 10, standardized: eleven coefficients
  e: {
    fields: { points: 1_000_000, model: 'polynomial', degree: 10, standardize: '1', batchSize: 1, learningRate: 0.01, speed: 1000, runs: SIX_RUNS },
    viewport: VIEWPORT,
  },
  // scene 6 of the built-in lesson (three runs on 200 noisy points) on the stage, presenter mode
  lesson: { fields: { presenter: '1', lesson: 'least-squares', scene: '6' }, viewport: PROJECTOR },
};

/** The address of scenario `name` on the page at `base`. */
export function scenarioAddress(base, name) {
  const hash = Object.entries(SCENARIOS[name].fields).map(([k, v]) => `${k}=${encodeURIComponent(typeof v === 'string' ? v : JSON.stringify(v))}`);
  return `${base}#${hash.join('&')}`;
}
