/**
 * The bench's verdicts and its markdown: each target of the Compare/bench issue checked against
 * the measured numbers, with the reason drawn from the numbers where one is missed, and the
 * table that replaces the marked section of README.md.
 */
import { quantileSorted, sortedAscending } from '../src/lib/metrics/stats';

export interface Stats {
	p50: number;
	p95: number;
	runs: number;
}

export function stats(values: number[]): Stats {
	const sorted = sortedAscending(values);
	return {
		p50: quantileSorted(sorted, 0.5),
		p95: quantileSorted(sorted, 0.95),
		runs: sorted.length
	};
}

export const median = (values: number[]) => quantileSorted(sortedAscending(values), 0.5);

export interface GraphResult {
	model: string;
	variant: string;
	path: string;
	bytes: number;
	/** Share of the graph's weight bytes that feed MatMul or Gemm. */
	matmulShare: number;
	downloadMs: number | null;
	/** Hearth: IndexedDB read + session creation (median of loads, 2 threads). */
	hearthLoadMs: number;
	hearthReadMs: number;
	/** Bare ORT-web: session creation from bytes in memory (median, 2 threads). */
	bareCreateMs: number;
	hearth: Record<'1' | '2', Stats>;
	bare: Record<'1' | '2', Stats>;
	node: Record<'1' | '2', Stats>;
}

export interface Verdict {
	target: string;
	subject: string;
	value: number;
	limit: string;
	met: boolean;
	why: string;
}

const x = (value: number) => `${value.toFixed(2)}x`;
const ms = (value: number) =>
	value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);

/** A graph is MatMul-heavy when most of its weight bytes are MatMul or Gemm weights. */
export const MATMUL_HEAVY = 0.5;

/** Why a difference this large is not Hearth's own cost, when the machine was busy. */
function busy(machine: Machine): string {
	const load = machine.loadAverage[0] ?? 0;
	return load > machine.cores
		? `the machine was busy (load average ${load.toFixed(1)} on ${machine.cores} cores), so the spread between runs is larger than the difference; run it on a quiet machine`
		: 'run-to-run spread; run it again to see whether it holds';
}

/** The worker round trip (postMessage both ways, copies, the Monitor record) costs less than this. */
const ROUND_TRIP_MS = 1;

export function verdicts(graphs: GraphResult[], machine: Machine): Verdict[] {
	const out: Verdict[] = [];
	for (const g of graphs) {
		const subject = `${g.model}/${g.variant} ${g.path}`;
		for (const threads of ['1', '2'] as const) {
			const hearth = g.hearth[threads].p50;
			const bare = g.bare[threads].p50;
			const ratio = hearth / bare;
			const extra = `${ms(hearth - bare)} ms more per run on a ${ms(bare)} ms inference`;
			out.push({
				target: `pipeline p50 <= 1.10x bare ORT-web (WASM, ${threads} thread${threads === '1' ? '' : 's'})`,
				subject,
				value: ratio,
				limit: '<= 1.10',
				met: ratio <= 1.1,
				why:
					ratio <= 1.1
						? ''
						: hearth - bare < ROUND_TRIP_MS
							? `${extra}: the worker round trip (postMessage both ways, input and output copies, ` +
								'the Monitor record) is a fixed cost that so short an inference cannot hide'
							: `${extra}, far more than the worker round trip costs: ${busy(machine)}`
			});
		}
		const warm = g.hearthLoadMs / g.bareCreateMs;
		out.push({
			target: 'warm start from IndexedDB <= 1.3x session from bytes in memory',
			subject,
			value: warm,
			limit: '<= 1.30',
			met: warm <= 1.3,
			why:
				warm <= 1.3
					? ''
					: `reading the file from IndexedDB (1 MiB chunks, joined) took ${ms(g.hearthReadMs)} ms and ` +
						`creating the session in the worker ${ms(g.hearthLoadMs - g.hearthReadMs)} ms, against ` +
						`${ms(g.bareCreateMs)} ms from bytes in memory` +
						(g.hearthReadMs > g.hearthLoadMs - g.hearthReadMs
							? '; the read is most of it'
							: `; creating the same session took longer in the worker: ${busy(machine)}`)
		});
		if (g.matmulShare >= MATMUL_HEAVY) {
			const speedup = g.hearth['1'].p50 / g.hearth['2'].p50;
			const nodeSpeedup = g.node['1'].p50 / g.node['2'].p50;
			out.push({
				target: '2 threads >= 1.8x faster than 1 (MatMul-heavy)',
				subject,
				value: speedup,
				limit: '>= 1.80',
				met: speedup >= 1.8,
				why:
					speedup >= 1.8
						? ''
						: `${ms(g.hearth['1'].p50)} ms on 1 thread, ${ms(g.hearth['2'].p50)} ms on 2; ` +
							`onnxruntime-node gets ${x(nodeSpeedup)} on the same graph: ` +
							(g.hearth['1'].p50 < 2
								? 'an inference this short is mostly fixed per-run cost that threads do not split'
								: `two cores are shared with the browser and the bench driver; ${busy(machine)}`)
			});
		}
	}
	return out;
}

export interface Machine {
	cpu: string;
	cores: number;
	memoryGb: number;
	os: string;
	node: string;
	chromium: string;
	loadAverage: number[];
}

export function markdown(
	machine: Machine,
	date: string,
	graphs: GraphResult[],
	results: Verdict[],
	extras: { script: string; included: boolean; note: string }[]
): string {
	const lines = [
		`Measured ${date} on ${machine.cpu} (${machine.cores} cores), ${machine.memoryGb} GB, ${machine.os}; ` +
			`Node ${machine.node}, Chromium ${machine.chromium} headless; load average ` +
			`${machine.loadAverage.map((n) => n.toFixed(1)).join(', ')} at the start. Milliseconds; p50 / p95 ` +
			"of one inference on the graph's sample input, WASM backend. Hearth = the runtime worker's round " +
			'trip; ORT-web = bare onnxruntime-web on the main thread, bytes in memory; ORT-node = ' +
			'onnxruntime-node. `npm run bench` remakes this table and bench/results.json.',
		'',
		'| model / graph | size | download | IndexedDB → session | ORT-web create | Hearth 1T | Hearth 2T | ORT-web 1T | ORT-web 2T | ORT-node 1T | ORT-node 2T | Hearth / ORT-web (2T) | ORT-web / ORT-node (2T) |',
		'| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |'
	];
	const pair = (s: Stats) => `${ms(s.p50)} / ${ms(s.p95)}`;
	const size = (bytes: number) =>
		bytes >= 1e5 ? `${(bytes / 1e6).toFixed(1)} MB` : `${(bytes / 1e3).toFixed(1)} kB`;
	for (const g of graphs) {
		lines.push(
			`| ${g.model}/${g.variant} \`${g.path.split('/').pop()}\` | ${size(g.bytes)} | ` +
				`${g.downloadMs === null ? '(same download)' : ms(g.downloadMs)} | ${ms(g.hearthLoadMs)} | ${ms(g.bareCreateMs)} | ` +
				`${pair(g.hearth['1'])} | ${pair(g.hearth['2'])} | ${pair(g.bare['1'])} | ${pair(g.bare['2'])} | ` +
				`${pair(g.node['1'])} | ${pair(g.node['2'])} | ${x(g.hearth['2'].p50 / g.bare['2'].p50)} | ` +
				`${x(g.bare['2'].p50 / g.node['2'].p50)} |`
		);
	}
	lines.push('', '**Targets**', '');
	const groups = new Map<string, Verdict[]>();
	for (const v of results) groups.set(v.target, [...(groups.get(v.target) ?? []), v]);
	for (const [target, list] of groups) {
		const met = list.filter((v) => v.met).length;
		lines.push(`- ${target}: met on ${met} of ${list.length}.`);
		for (const v of list.filter((entry) => !entry.met))
			lines.push(`  - missed on ${v.subject} (${x(v.value)}): ${v.why}.`);
	}
	const included = extras.filter((e) => e.included);
	if (included.length > 0)
		lines.push(
			'',
			`Also run, their JSON in bench/results.json (extras): ${included.map((e) => `\`bench/${e.script}\``).join(', ')}.`
		);
	const skipped = extras.filter((e) => !e.included);
	if (skipped.length > 0)
		lines.push(
			'',
			`Not in this table: ${skipped.map((e) => `\`bench/${e.script}\` (${e.note})`).join(', ')}.`
		);
	return lines.join('\n');
}

export const START_MARK = '<!-- bench:start -->';
export const END_MARK = '<!-- bench:end -->';

/** README text with the marked section replaced (the markers are added after "## Benchmarks" if absent). */
export function replaceSection(readme: string, section: string): string {
	const block = `${START_MARK}\n\n${section}\n\n${END_MARK}`;
	const start = readme.indexOf(START_MARK);
	const end = readme.indexOf(END_MARK);
	if (start >= 0 && end > start)
		return readme.slice(0, start) + block + readme.slice(end + END_MARK.length);
	const heading = readme.indexOf('## Benchmarks');
	if (heading < 0) return `${readme.trimEnd()}\n\n## Benchmarks\n\n${block}\n`;
	const next = readme.indexOf('\n## ', heading + 3);
	const at = next < 0 ? readme.length : next;
	return `${readme.slice(0, at).trimEnd()}\n\n${block}\n${readme.slice(at)}`;
}
