/**
 * `npm run bench`: how fast Hearth runs the catalog models, against the floors it cannot beat.
 * Builds the site if needed, serves it on loopback with COOP/COEP, and drives headless Chromium:
 * for each catalog model and variant, the cold download (the Models page, loopback network), and
 * for each of its graphs the IndexedDB-to-session time and the inference p50/p95 on WASM with 1
 * and 2 threads through Hearth's runtime worker; the same graphs on bare onnxruntime-web on the
 * page's main thread (bytes in memory) and on onnxruntime-node. Writes bench/results.json and
 * the table between the bench markers in README.md, with each target of the issue met or missed
 * (and why). Takes about five minutes on two cores; run it on a quiet machine.
 *
 *   npm run bench               # builds build/ first when it is missing
 *   npm run bench -- --build    # rebuilds first
 *   npm run bench -- --report-only   # the README section again from bench/results.json
 */
import { chromium } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, release, tmpdir, totalmem, type } from 'node:os';
import { join, resolve } from 'node:path';
import * as ortNode from 'onnxruntime-node';
import type { Catalog, ModelFile } from '../src/lib/catalog/manifest';
import { makeSampleTensor } from '../src/lib/catalog/sample';
import { decodeModel } from '../src/lib/optimize/onnx-graph';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/support/chromium';
import { TestFileServer } from '../tests/support/file-server';
import { ROOT_BUILD_DIR } from '../tests/support/workspace';
import { bareOrtTimes, hearthTimes, RUN_LIMITS, type GraphCase, type SampleInput } from './browser';
import { extraBenches } from './extras';
import { findRuntimeWorker } from './runtime-worker';
import {
	markdown,
	median,
	replaceSection,
	stats,
	verdicts,
	type GraphResult,
	type Machine
} from './report';

const ROOT = resolve(import.meta.dirname, '..');
const BUILD = resolve(ROOT, ROOT_BUILD_DIR);
const log = (message: string) => console.log(`[bench] ${message}`);

/** A browser measurement that stops answering (a worker that never replies) fails the bench. */
function withTimeout<T>(work: Promise<T>, what: string, ms = 300_000): Promise<T> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const timeout = new Promise<never>((_, fail) => {
		timer = setTimeout(() => fail(new Error(`${what} did not finish in ${ms / 1000} s`)), ms);
	});
	return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function ensureBuild(): void {
	if (!process.argv.includes('--build') && existsSync(join(BUILD, 'index.html'))) {
		log(`using the built site in ${ROOT_BUILD_DIR}/ (--build rebuilds it)`);
		return;
	}
	log(`building the site into ${ROOT_BUILD_DIR}/`);
	execFileSync('npm', ['run', 'assets'], { cwd: ROOT, stdio: 'inherit' });
	execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], {
		cwd: ROOT,
		stdio: 'inherit',
		env: { ...process.env, BUILD_DIR: ROOT_BUILD_DIR, BASE_PATH: '' }
	});
}

/** Share of the graph's initializer bytes that are MatMul or Gemm inputs. */
function matmulShare(bytes: Uint8Array): number {
	const graph = decodeModel(bytes).graph!;
	const size = new Map<string, number>();
	for (const init of graph.initializer ?? []) {
		const raw = init.rawData?.length ?? 0;
		const typed = (init.floatData?.length ?? 0) * 4 + (init.int64Data?.length ?? 0) * 8;
		size.set(init.name ?? '', raw + typed);
	}
	const total = [...size.values()].reduce((a, b) => a + b, 0);
	const matmul = new Set<string>();
	for (const node of graph.node ?? []) {
		if (!['MatMul', 'Gemm', 'MatMulInteger', 'MatMulNBits'].includes(node.opType ?? '')) continue;
		for (const input of node.input ?? []) if (size.has(input)) matmul.add(input);
	}
	return total ? [...matmul].reduce((sum, name) => sum + size.get(name)!, 0) / total : 0;
}

function sampleInputs(file: ModelFile): SampleInput[] {
	return (file.graph?.sample ?? []).map((sample) => {
		const tensor = makeSampleTensor(sample);
		return {
			name: sample.name,
			dtype: tensor.dtype as SampleInput['dtype'],
			dims: tensor.dims,
			values: Array.from(tensor.data as ArrayLike<number | bigint>, Number)
		};
	});
}

function typedValues(input: SampleInput) {
	switch (input.dtype) {
		case 'int64':
			return BigInt64Array.from(input.values, (v) => BigInt(v));
		case 'int32':
			return Int32Array.from(input.values);
		case 'int8':
			return Int8Array.from(input.values);
		case 'uint8':
		case 'bool':
			return Uint8Array.from(input.values);
		default:
			return Float32Array.from(input.values);
	}
}

async function nodeTimes(
	bytes: Uint8Array,
	inputs: SampleInput[],
	threads: number
): Promise<number[]> {
	const session = await ortNode.InferenceSession.create(bytes, {
		intraOpNumThreads: threads,
		interOpNumThreads: 1,
		graphOptimizationLevel: 'all'
	});
	const feeds = () =>
		Object.fromEntries(
			inputs.map((input) => [
				input.name,
				new ortNode.Tensor(input.dtype, typedValues(input), input.dims)
			])
		);
	for (let i = 0; i < RUN_LIMITS.warmup; i++) await session.run(feeds());
	const times: number[] = [];
	const started = performance.now();
	while (
		times.length < RUN_LIMITS.minRuns ||
		(times.length < RUN_LIMITS.maxRuns && performance.now() - started < RUN_LIMITS.maxMs)
	) {
		const start = performance.now();
		await session.run(feeds());
		times.push(performance.now() - start);
	}
	await session.release();
	return times;
}

/** `--report-only`: the README section again from bench/results.json, without measuring. */
function reportOnly(): void {
	const path = join(ROOT, 'bench', 'results.json');
	const saved = JSON.parse(readFileSync(path, 'utf8'));
	saved.machine.chromium = String(saved.machine.chromium).replace(/^Chromium /, '');
	const results = verdicts(saved.graphs, saved.machine);
	writeFileSync(path, JSON.stringify({ ...saved, targets: results }, null, '\t') + '\n');
	const section = markdown(saved.machine, saved.date, saved.graphs, results, saved.extras);
	const readmePath = join(ROOT, 'README.md');
	writeFileSync(readmePath, replaceSection(readFileSync(readmePath, 'utf8'), section));
	execFileSync('npx', ['prettier', '--write', 'README.md', 'bench/results.json'], {
		cwd: ROOT,
		stdio: 'ignore'
	});
	log('rewrote the README section from bench/results.json');
}

async function main(): Promise<void> {
	if (process.argv.includes('--report-only')) return reportOnly();
	const started = Date.now();
	ensureBuild();
	const catalog = JSON.parse(
		readFileSync(join(BUILD, 'models', 'catalog.json'), 'utf8')
	) as Catalog;
	const workersDir = join(BUILD, '_app', 'immutable', 'workers');
	const workerFile = findRuntimeWorker(workersDir);
	const loadAverage = loadavg();

	const server = new TestFileServer(BUILD, '');
	server.crossOriginIsolation = true;
	await server.start();
	const profile = await mkdtemp(join(tmpdir(), 'hearth-bench-'));
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: CHROMIUM_PATH,
		headless: true,
		serviceWorkers: 'block',
		args: CHROMIUM_ARGS
	});
	const ortModule = readFileSync(
		join(ROOT, 'node_modules/onnxruntime-web/dist/ort.webgpu.min.mjs')
	);
	const graphs: GraphResult[] = [];
	try {
		const page = context.pages()[0] ?? (await context.newPage());
		// tsx wraps functions passed to the page in a __name(...) helper that exists only in Node.
		await page.addInitScript('globalThis.__name = (target) => target');
		page.on('pageerror', (error) => console.error('[bench] page error:', error.message));
		// The same onnxruntime-web build the site bundles, for the bare runs, served beside it.
		await page.route('**/bench-ort.mjs', (route) =>
			route.fulfill({ body: ortModule, contentType: 'text/javascript' })
		);

		// Cold downloads, through the Models page (fetch, SHA-256, IndexedDB in 1 MiB chunks).
		await page.goto(server.url('/models'));
		const downloads = new Map<string, number>();
		for (const model of catalog.models) {
			for (const variant of model.variants) {
				const row = page.locator(`[data-testid="variant-${model.id}-${variant.id}"]`);
				const start = Date.now();
				await row.getByRole('button', { name: /^Download / }).click();
				await page
					.locator(`[data-testid="variant-${model.id}-${variant.id}"][data-state="ready"]`)
					.waitFor({ timeout: 120_000 });
				downloads.set(`${model.id}/${variant.id}`, Date.now() - start);
				log(`downloaded ${model.id}/${variant.id} in ${Date.now() - start} ms`);
			}
		}

		const cases: (GraphCase & {
			model: string;
			variant: string;
			bytes: number;
			file: ModelFile;
		})[] = [];
		for (const model of catalog.models)
			for (const variant of model.variants)
				for (const file of variant.files.filter((f) => f.kind === 'onnx' && f.graph?.sample)) {
					cases.push({
						model: model.id,
						variant: variant.id,
						bytes: file.bytes,
						file,
						installKey: `${model.id}/${variant.id}`,
						path: file.path,
						url: server.url(`/models/${model.id}/${file.path}`),
						inputs: sampleInputs(file)
					});
				}
		const hearth: Record<string, Awaited<ReturnType<typeof hearthTimes>>> = {};
		const bare: Record<string, Awaited<ReturnType<typeof bareOrtTimes>>> = {};
		for (const threads of [1, 2]) {
			await page.goto(server.url('/'));
			log(`Hearth worker, ${threads} thread(s), ${cases.length} graphs`);
			hearth[threads] = await withTimeout(
				hearthTimes(
					page,
					server.url(`/_app/immutable/workers/${workerFile}`),
					server.url('/ort/'),
					threads,
					cases
				),
				`Hearth, ${threads} thread(s)`
			);
			await page.goto(server.url('/'));
			log(`bare onnxruntime-web, ${threads} thread(s)`);
			bare[threads] = await withTimeout(
				bareOrtTimes(page, server.url('/bench-ort.mjs'), server.url('/ort/'), threads, cases),
				`bare ORT-web, ${threads} thread(s)`
			);
		}
		for (const [i, item] of cases.entries()) {
			const bytes = new Uint8Array(readFileSync(join(BUILD, 'models', item.model, item.path)));
			log(`onnxruntime-node: ${item.installKey} ${item.path}`);
			const node1 = await nodeTimes(bytes, item.inputs, 1);
			const node2 = await nodeTimes(bytes, item.inputs, 2);
			const firstOfVariant = cases.findIndex((c) => c.installKey === item.installKey) === i;
			graphs.push({
				model: item.model,
				variant: item.variant,
				path: item.path,
				bytes: item.bytes,
				matmulShare: matmulShare(bytes),
				downloadMs: firstOfVariant ? (downloads.get(item.installKey) ?? null) : null,
				hearthLoadMs: median(hearth[2]![i]!.loadMs),
				hearthReadMs: median(hearth[2]![i]!.readMs),
				bareCreateMs: median(bare[2]![i]!.loadMs),
				hearth: { '1': stats(hearth[1]![i]!.runMs), '2': stats(hearth[2]![i]!.runMs) },
				bare: { '1': stats(bare[1]![i]!.runMs), '2': stats(bare[2]![i]!.runMs) },
				node: { '1': stats(node1), '2': stats(node2) }
			});
		}
	} finally {
		await context.close();
		await rm(profile, { recursive: true, force: true });
		await server.close();
	}

	const machine: Machine = {
		cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
		cores: cpus().length,
		memoryGb: Math.round(totalmem() / 1e9),
		os: `${type()} ${release()}`,
		node: process.versions.node,
		// Debian's wrapper script prints a shell warning on stderr; the version is on stdout.
		chromium: execFileSync(CHROMIUM_PATH, ['--version'], {
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'ignore']
		})
			.trim()
			.replace(/^Chromium /, ''),
		loadAverage
	};
	const results = verdicts(graphs, machine);
	const extras = await extraBenches(ROOT, log);
	const date = new Date().toISOString().slice(0, 10);
	writeFileSync(
		join(ROOT, 'bench', 'results.json'),
		JSON.stringify(
			{ date, machine, limits: RUN_LIMITS, graphs, targets: results, extras },
			null,
			'\t'
		) + '\n'
	);
	const readmePath = join(ROOT, 'README.md');
	const section = markdown(machine, date, graphs, results, extras);
	writeFileSync(readmePath, replaceSection(readFileSync(readmePath, 'utf8'), section));
	execFileSync('npx', ['prettier', '--write', 'README.md', 'bench/results.json'], {
		cwd: ROOT,
		stdio: 'ignore'
	});
	log(`wrote bench/results.json and README.md in ${((Date.now() - started) / 1000).toFixed(0)} s`);
	for (const v of results.filter((r) => !r.met))
		log(`missed: ${v.target} on ${v.subject}: ${v.why}`);
}

main().then(
	// The runtime's metrics channel or Playwright may keep handles open; everything is done.
	() => process.exit(0),
	(error: unknown) => {
		console.error('[bench] failed:', error);
		process.exit(1);
	}
);
