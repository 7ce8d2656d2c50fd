/** The command line of `npm run bench`. */
import { CONTENDERS, type ContenderName } from '../page/pageTypes.js';
import { type BenchOptions, DEFAULT_OPTIONS } from './benchPlan.js';

export const SCENARIOS = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'sweep'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface Invocation {
  scenarios: ScenarioName[];
  options: BenchOptions;
  /** The arguments as given, for the report. */
  argv: string[];
}

const MiB = 1024 * 1024;

export const USAGE = `npm run bench [-- SCENARIO… OPTION…]
  scenarios: ${SCENARIOS.join(' ')} (default: all, in that order)
  --size MiB             base file size (P1, P3, P4, sweep; P2 uses it and 4×)   default 1024
  --large-factor N       P2's second file is N × the base size                    default 4
  --runs N               runs per setting (median, min, max)                      default 3
  --live-heap-runs N     P2 runs with a full GC per heap sample                   default 1
  --contenders a,b       any of ${CONTENDERS.join(',')}   default all
  --concurrency N        part PUTs in flight                                       default 4
  --part-size MiB        part size                                                 default 8
  --record-seconds S     P5 recording length                                       default 60
  --sign-batches N       P6 timed sign batches                                     default 2000
  --server-calls N       P6 timed calls of create, list, complete, abort           default 100
  --sweep-part-sizes a,b MiB                                                       default 5,8,16,32
  --sweep-concurrency a,b                                                          default 2,4,6,8
  --quick                development sizes: --size 128 --runs 1 --record-seconds 10 --sign-batches 300
                         --server-calls 20`;

function list(value: string): string[] {
  return value.split(',').map((item) => item.trim()).filter(Boolean);
}

function positive(name: string, value: string | undefined): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new Error(`${name} needs a positive number, got ${value}\n${USAGE}`);
  return number;
}

export function parseArguments(argv: string[]): Invocation {
  const options: BenchOptions = { ...DEFAULT_OPTIONS, contenders: [...DEFAULT_OPTIONS.contenders] };
  const scenarios: ScenarioName[] = [];
  const rest = [...argv];
  if (rest.includes('--quick')) {
    Object.assign(options, { baseSize: 128 * MiB, runs: 1, recordSeconds: 10, signBatches: 300, serverCalls: 20 });
  }
  for (let arg = rest.shift(); arg !== undefined; arg = rest.shift()) {
    if ((SCENARIOS as readonly string[]).includes(arg)) scenarios.push(arg as ScenarioName);
    else if (arg === '--quick') continue;
    else if (arg === '--size') options.baseSize = positive(arg, rest.shift()) * MiB;
    else if (arg === '--large-factor') options.largeFactor = Math.round(positive(arg, rest.shift()));
    else if (arg === '--runs') options.runs = Math.round(positive(arg, rest.shift()));
    else if (arg === '--live-heap-runs') options.liveHeapRuns = Math.round(positive(arg, rest.shift()));
    else if (arg === '--concurrency') options.concurrency = Math.round(positive(arg, rest.shift()));
    else if (arg === '--part-size') options.partSize = positive(arg, rest.shift()) * MiB;
    else if (arg === '--record-seconds') options.recordSeconds = positive(arg, rest.shift());
    else if (arg === '--sign-batches') options.signBatches = Math.round(positive(arg, rest.shift()));
    else if (arg === '--server-calls') options.serverCalls = Math.round(positive(arg, rest.shift()));
    else if (arg === '--sweep-part-sizes') options.sweepPartSizes = list(rest.shift() ?? '').map((v) => positive(arg, v) * MiB);
    else if (arg === '--sweep-concurrency') options.sweepConcurrency = list(rest.shift() ?? '').map((v) => Math.round(positive(arg, v)));
    else if (arg === '--contenders') {
      const names = list(rest.shift() ?? '');
      const unknown = names.filter((name) => !(CONTENDERS as readonly string[]).includes(name));
      if (unknown.length || !names.length) throw new Error(`unknown contenders ${unknown.join(', ')}\n${USAGE}`);
      options.contenders = CONTENDERS.filter((name) => names.includes(name)) as ContenderName[];
    } else throw new Error(`unknown argument ${arg}\n${USAGE}`);
  }
  return { scenarios: scenarios.length ? scenarios : [...SCENARIOS], options, argv };
}
