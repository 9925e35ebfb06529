/**
 * The widget's side of the API: serves each checked request from the site's catalog, the model
 * store (or memory, where the browser denies the frame storage) and the runtime worker, and
 * keeps the state the widget's page shows. Model bytes, inputs and results never leave the
 * browser: files come from this site, and answers go only to the host page that asked.
 */
import { catalogModelBaseUrl } from '$lib/catalog/catalog';
import type { Catalog, ModelManifest } from '$lib/catalog/manifest';
import { errorMessage, serializeError } from '$lib/errors';
import { getRuntime } from '$lib/runtime';
import type { BackendPreference } from '$lib/runtime/protocol';
import { downloadVariant, getInstall, installKeyOf, listInstalls } from '$lib/store';
import { StorageUnavailableError } from '$lib/store/errors';
import { queryMetrics } from '$lib/store/metrics-db';
import { fetchVariantIntoMemory } from './memory-loader';
import {
	PROTOCOL_VERSION,
	WidgetProtocolError,
	type EventData,
	type EventName,
	type LoadResult,
	type Methods,
	type MetricsResult,
	type ModelSummary,
	type SessionCounters,
	type StatusResult,
	type StorageStatus,
	type WidgetRequest
} from './protocol';
import type { WidgetOptions } from './widget-options';
import { runOnModel } from './widget-run';

export interface RequestContext {
	/** The host page's origin, checked against the allow-list before the request got here. */
	origin: string;
	emit<K extends EventName>(event: K, data: EventData[K]): void;
}

export interface Served {
	result: Methods[keyof Methods]['result'];
	transfer: Transferable[];
}

interface LoadedModel {
	installKey: string;
	backend: BackendPreference;
	result: LoadResult;
}

/** What the widget's page shows while a model loads. */
export interface LoadingState {
	model: string;
	loadedBytes: number;
	totalBytes: number;
	phase: 'download' | 'sessions';
}

export class WidgetService {
	storage = $state<StorageStatus>({
		mode: 'indexeddb',
		reason: null,
		access: 'unsupported',
		canRequest: false
	});
	loaded = $state<LoadedModel[]>([]);
	loading = $state<LoadingState | null>(null);
	lastError = $state<string | null>(null);
	counters = $state<SessionCounters>({
		since: Date.now(),
		requests: 0,
		errors: 0,
		runs: 0,
		failedRuns: 0,
		ignoredMessages: 0,
		runMs: []
	});
	private readonly loads = new Map<string, Promise<LoadedModel>>();
	private readonly runtime = getRuntime();

	constructor(
		private readonly catalog: Catalog,
		readonly options: WidgetOptions,
		/** Where the catalog's model folders are: <site>/models/. */
		private readonly modelsRoot: string
	) {}

	/** Finds out whether the browser lets this frame keep models (IndexedDB). */
	async detectStorage(): Promise<void> {
		const access = await storageAccess();
		try {
			await listInstalls();
			this.storage = { mode: 'indexeddb', reason: null, access, canRequest: false };
		} catch (error) {
			if (!(error instanceof StorageUnavailableError)) throw error;
			this.storage = {
				mode: 'memory',
				reason:
					'The browser does not let sites embedded in other sites keep data (third-party ' +
					'storage is blocked), so models are fetched into memory from Hearth for as long as ' +
					'this page is open.',
				access,
				canRequest: !this.options.headless && typeof document.requestStorageAccess === 'function'
			};
		}
	}

	/** Asks the user for storage access (from a click in the widget), then looks again. */
	async requestStorageAccess(): Promise<string> {
		try {
			await document.requestStorageAccess();
		} catch (error) {
			return `The browser did not grant storage access (${errorMessage(error)}). Models stay in memory.`;
		}
		await this.detectStorage();
		return this.storage.mode === 'indexeddb'
			? 'Storage access granted: models are kept in this browser from now on.'
			: 'Storage access granted, but this browser still keeps IndexedDB from embedded sites: models stay in memory.';
	}

	countIgnored(): void {
		this.counters.ignoredMessages++;
	}

	/** Serves one request; every failure is a thrown error the caller answers with. */
	async serve(request: WidgetRequest, ctx: RequestContext): Promise<Served> {
		this.counters.requests++;
		try {
			return await this.dispatch(request, ctx);
		} catch (error) {
			this.counters.errors++;
			if (request.method === 'run') this.counters.failedRuns++;
			this.lastError = errorMessage(error);
			throw error;
		}
	}

	private async dispatch(request: WidgetRequest, ctx: RequestContext): Promise<Served> {
		switch (request.method) {
			case 'listModels':
				return { result: { models: this.listModels() }, transfer: [] };
			case 'load': {
				const { model, variant, backend } = request.params;
				const loaded = await this.load(model, variant, backend, ctx);
				return { result: loaded.result, transfer: [] };
			}
			case 'run': {
				const { model, variant, backend, input } = request.params;
				const loaded = await this.load(model, variant, backend, ctx);
				const started = performance.now();
				const { output, transfer } = await runOnModel(
					this.runtime,
					{
						manifest: this.manifest(model),
						variantId: loaded.result.variant,
						installKey: loaded.installKey,
						backend: loaded.backend
					},
					input,
					{ source: 'widget', origin: ctx.origin }
				);
				this.counters.runs++;
				this.counters.runMs.push(performance.now() - started);
				return { result: output, transfer };
			}
			case 'unload':
				return { result: { unloaded: await this.unload(request.params) }, transfer: [] };
			case 'status':
				return { result: await this.status(ctx.origin), transfer: [] };
			case 'metrics':
				return { result: await this.metrics(ctx.origin, request.params), transfer: [] };
		}
	}

	private manifest(modelId: string): ModelManifest {
		const manifest = this.catalog.models.find((model) => model.id === modelId);
		if (!manifest) {
			const ids = this.catalog.models.map((model) => model.id).join(', ');
			throw new WidgetProtocolError(
				'unknown-model',
				`There is no model "${modelId}". Models: ${ids}.`
			);
		}
		return manifest;
	}

	private listModels(): ModelSummary[] {
		return this.catalog.models.map((model) => ({
			id: model.id,
			name: model.name,
			task: model.task,
			description: model.description,
			licence: model.licence.spdx,
			variants: model.variants.map((variant) => ({
				id: variant.id,
				name: variant.name,
				precision: variant.precision,
				bytes: variant.files.reduce((sum, file) => sum + file.bytes, 0),
				loaded: this.loaded.some((l) => l.installKey === installKeyOf(model.id, variant.id))
			}))
		}));
	}

	/** Loads the model the widget's URL names, before any host asks (its events go nowhere). */
	async preload(modelId: string, variantId?: string): Promise<void> {
		await this.load(modelId, variantId, undefined, {
			origin: location.origin,
			emit: () => undefined
		});
	}

	/** Loads a variant once; later requests (any backend) share it, as the page's runtime does. */
	private load(
		modelId: string,
		variantId: string | undefined,
		backend: BackendPreference | undefined,
		ctx: RequestContext
	): Promise<LoadedModel> {
		const manifest = this.manifest(modelId);
		const variant = variantId
			? manifest.variants.find((candidate) => candidate.id === variantId)
			: manifest.variants[0];
		if (!variant) {
			const ids = manifest.variants.map((v) => v.id).join(', ');
			throw new WidgetProtocolError(
				'unknown-variant',
				`${modelId} has no variant "${variantId}". Variants: ${ids}.`
			);
		}
		const installKey = installKeyOf(manifest.id, variant.id);
		const wanted = backend ?? this.options.backend;
		const existing = this.loads.get(installKey);
		if (existing) return existing;
		const loading = this.loadVariant(manifest, variant.id, installKey, wanted, ctx);
		this.loads.set(installKey, loading);
		loading.then(
			(loaded) => (this.loaded = [...this.loaded, loaded]),
			() => this.loads.delete(installKey)
		);
		return loading;
	}

	private async loadVariant(
		manifest: ModelManifest,
		variantId: string,
		installKey: string,
		backend: BackendPreference,
		ctx: RequestContext
	): Promise<LoadedModel> {
		const variant = manifest.variants.find((candidate) => candidate.id === variantId)!;
		const totalBytes = variant.files.reduce((sum, file) => sum + file.bytes, 0);
		const baseUrl = catalogModelBaseUrl(this.modelsRoot, manifest);
		const progress = (phase: 'download' | 'sessions', loadedBytes: number, file: string | null) => {
			this.loading = { model: manifest.name, loadedBytes, totalBytes, phase };
			ctx.emit('progress', { phase, loadedBytes, totalBytes, file });
		};
		// A plain copy: the catalog may be reactive state, which cannot be posted to the worker.
		const plain = $state.snapshot(manifest) as ModelManifest;
		let cached = true;
		try {
			if (this.storage.mode === 'indexeddb') {
				if (!(await getInstall(installKey))?.complete) {
					cached = false;
					await downloadVariant(plain, variantId, baseUrl, {
						onProgress: (p) => progress('download', p.receivedBytes, null)
					});
				}
			} else {
				cached = false;
				ctx.emit('log', { level: 'info', message: this.storage.reason ?? 'Loading into memory.' });
				const files = await fetchVariantIntoMemory(variant, baseUrl, {
					onProgress: (p) => progress('download', p.loadedBytes, p.file)
				});
				await this.runtime.registerMemoryInstall({ manifest: plain, variantId, files });
			}
			progress('sessions', totalBytes, null);
			const environment = await this.runtime.environment();
			const graphs: LoadResult['graphs'] = [];
			const notes = new Set<string>();
			let info = null;
			for (const file of variant.files.filter((candidate) => candidate.kind === 'onnx')) {
				info = await this.runtime.load(installKey, file.path, backend);
				graphs.push({
					file: file.path,
					inputNames: info.inputNames,
					outputNames: info.outputNames
				});
				for (const note of info.notes) notes.add(note);
			}
			if (!environment.crossOriginIsolated) notes.add(ONE_THREAD_NOTE);
			const result: LoadResult = {
				model: manifest.id,
				variant: variantId,
				task: manifest.task,
				storage: this.storage.mode,
				cached,
				bytes: totalBytes,
				backend: info?.backend ?? 'wasm',
				threads: info?.threads ?? environment.wasmThreads,
				graphs,
				notes: [...notes]
			};
			for (const note of notes) ctx.emit('log', { level: 'warning', message: note });
			ctx.emit('ready', result);
			return { installKey, backend, result };
		} finally {
			this.loading = null;
		}
	}

	private async unload(params: { model?: string; variant?: string }): Promise<number> {
		const targets = this.loaded.filter(
			(loaded) =>
				(params.model === undefined || loaded.result.model === params.model) &&
				(params.variant === undefined || loaded.result.variant === params.variant)
		);
		if (params.model !== undefined) this.manifest(params.model); // unknown-model, not 0
		let unloaded = 0;
		for (const target of targets) {
			unloaded += await this.runtime.unload({ installKey: target.installKey });
			this.loads.delete(target.installKey);
		}
		this.loaded = this.loaded.filter((loaded) => !targets.includes(loaded));
		return unloaded;
	}

	async status(host: string): Promise<StatusResult> {
		const environment = await this.runtime.environment();
		const notes = [...this.options.notes];
		if (!environment.crossOriginIsolated) notes.push(ONE_THREAD_NOTE);
		if (this.storage.reason) notes.push(this.storage.reason);
		const heap = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
		return {
			protocol: PROTOCOL_VERSION,
			origin: location.origin,
			host,
			ortVersion: environment.ortVersion,
			crossOriginIsolated: environment.crossOriginIsolated,
			threads: environment.wasmThreads,
			webgpu: {
				available: environment.webgpu.available,
				fallbackAdapter: environment.webgpu.fallbackAdapter
			},
			storage: { ...this.storage },
			memory: {
				modelBytes:
					this.storage.mode === 'memory'
						? this.loaded.reduce((sum, loaded) => sum + loaded.result.bytes, 0)
						: 0,
				jsHeapBytes: heap?.usedJSHeapSize ?? null
			},
			loaded: this.loaded.map(({ result }) => ({
				model: result.model,
				variant: result.variant,
				storage: result.storage
			})),
			ignoredMessages: this.counters.ignoredMessages,
			notes
		};
	}

	private async metrics(
		origin: string,
		params: { since?: number; limit?: number }
	): Promise<MetricsResult> {
		const session = $state.snapshot(this.counters);
		try {
			const stored = await queryMetrics({ origin, since: params.since, limit: params.limit });
			return { stored, storedError: null, session };
		} catch (error) {
			const { code, message } = serializeError(error);
			return { stored: null, storedError: { code, message }, session };
		}
	}
}

const ONE_THREAD_NOTE =
	'This frame is not cross-origin isolated, so WebAssembly runs on one thread. Hosts that are ' +
	'cross-origin isolated themselves can give the widget threads (see the Docs page).';

async function storageAccess(): Promise<StorageStatus['access']> {
	if (typeof document.hasStorageAccess !== 'function') return 'unsupported';
	try {
		return (await document.hasStorageAccess()) ? 'granted' : 'not-granted';
	} catch {
		return 'not-granted';
	}
}
