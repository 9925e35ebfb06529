/**
 * A TaskContext for unit tests: the same pipelines the browser worker runs, on the catalog's
 * built files (static/models) with onnxruntime-node. Sessions are cached per file. Files can be
 * replaced by bytes in hand (an optimized graph): those run on onnxruntime-web's WASM backend,
 * the engine the browser uses.
 */
import { readFile } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';
import type { ModelManifest } from '../../src/lib/catalog/manifest';
import type { TensorData, TensorValues } from '../../src/lib/runtime/protocol';
import {
	emptyTimings,
	timeStage,
	type InferenceRunner,
	type StageTimings,
	type TaskContext
} from '../../src/lib/tasks/types';
import {
	builtFilePath,
	modelNamed,
	readBuiltCatalog,
	toOrtTensor
} from '../../scripts/models/built-models';
import { createWebSession, runWebSession, type WebSession } from './ort-web-node';

export class NodeTaskContext implements TaskContext {
	readonly timings: StageTimings = emptyTimings();
	private readonly sessions = new Map<string, Promise<ort.InferenceSession>>();
	private readonly webSessions = new Map<string, Promise<WebSession>>();
	private readonly memos = new Map<string, Promise<unknown>>();

	private constructor(
		private readonly model: ModelManifest,
		private readonly variantId: string,
		private readonly replacements: ReadonlyMap<string, Uint8Array> = new Map()
	) {}

	/**
	 * A context for a catalog model variant (the first variant when none is named); `replacements`
	 * give other bytes for some of its files, by path.
	 */
	static async forCatalogModel(
		modelId: string,
		variantId?: string,
		replacements: Record<string, Uint8Array> = {}
	): Promise<NodeTaskContext> {
		const model = modelNamed(await readBuiltCatalog(), modelId);
		return new NodeTaskContext(
			model,
			variantId ?? model.variants[0]!.id,
			new Map(Object.entries(replacements))
		);
	}

	get installKey(): string {
		return `${this.model.id}/${this.variantId}`;
	}

	get files() {
		const variant = this.model.variants.find((candidate) => candidate.id === this.variantId);
		if (!variant) throw new Error(`${this.model.id} has no variant ${this.variantId}`);
		return variant.files;
	}

	private filePath(path: string): string {
		const file = this.files.find((candidate) => candidate.path === path);
		if (!file) throw new Error(`${this.model.id}/${this.variantId} has no file ${path}`);
		return builtFilePath(this.model, file);
	}

	async session(path: string): Promise<InferenceRunner> {
		const replacement = this.replacements.get(path);
		if (replacement) return this.webSession(path, replacement);
		let loading = this.sessions.get(path);
		if (!loading)
			this.sessions.set(path, (loading = ort.InferenceSession.create(this.filePath(path))));
		const session = await loading;
		return {
			inputNames: session.inputNames,
			outputNames: session.outputNames,
			run: async (inputs) => {
				const feeds = Object.fromEntries(
					Object.entries(inputs).map(([name, tensor]) => [name, toOrtTensor(tensor)])
				);
				const start = performance.now();
				const results = await session.run(feeds);
				this.timings.inferenceMs += performance.now() - start;
				return Object.fromEntries(
					Object.entries(results).map(([name, tensor]): [string, TensorData] => [
						name,
						{
							dtype: tensor.type as TensorData['dtype'],
							dims: [...tensor.dims],
							data: tensor.data as TensorValues
						}
					])
				);
			}
		};
	}

	private async webSession(path: string, bytes: Uint8Array): Promise<InferenceRunner> {
		let loading = this.webSessions.get(path);
		if (!loading) this.webSessions.set(path, (loading = createWebSession(bytes)));
		const session = await loading;
		return {
			inputNames: session.inputNames,
			outputNames: session.outputNames,
			run: async (inputs) => {
				const start = performance.now();
				const outputs = await runWebSession(session, inputs);
				this.timings.inferenceMs += performance.now() - start;
				return outputs;
			}
		};
	}

	async readFile(path: string): Promise<Uint8Array> {
		const replacement = this.replacements.get(path);
		if (replacement) return replacement;
		return new Uint8Array(await readFile(this.filePath(path)));
	}

	memo<T>(name: string, build: () => Promise<T>): Promise<T> {
		let value = this.memos.get(name) as Promise<T> | undefined;
		if (!value) this.memos.set(name, (value = build()));
		return value;
	}

	stage<T>(name: 'preprocess' | 'postprocess', work: () => T | Promise<T>): Promise<T> {
		return timeStage(this.timings, `${name}Ms`, work);
	}

	async release(): Promise<void> {
		for (const loading of this.sessions.values()) await (await loading).release();
		for (const loading of this.webSessions.values()) await (await loading).release();
		this.sessions.clear();
		this.webSessions.clear();
	}
}
