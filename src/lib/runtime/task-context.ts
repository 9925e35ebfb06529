import type { ModelFile } from '$lib/catalog/manifest';
import {
	emptyTimings,
	timeStage,
	type InferenceRunner,
	type StageTimings,
	type TaskContext
} from '$lib/tasks/types';
import type { Backend, BackendPreference } from './protocol';
import { modelFiles, readModelFile } from './memory-installs';
import { loadSession, runSession } from './sessions';

/** Per install: values pipelines asked to keep (see TaskContext.memo). */
const memos = new Map<string, Map<string, Promise<unknown>>>();

export function forgetInstall(installKey: string): void {
	memos.delete(installKey);
}

/** The files of a variant, as its manifest lists them (held in memory, or installed). */
export function installedFiles(installKey: string): Promise<ModelFile[]> {
	return modelFiles(installKey);
}

/** The worker's side of TaskContext: sessions from the model store, and the stage clock. */
export class WorkerTaskContext implements TaskContext {
	readonly timings: StageTimings = emptyTimings();
	readonly notes = new Set<string>();
	backend: Backend = 'wasm';
	threads = 1;
	/** Graph runs started so far; a task step that ran none is no inference for the Monitor. */
	inferences = 0;

	constructor(
		readonly installKey: string,
		readonly files: readonly ModelFile[],
		private readonly backendPreference: BackendPreference
	) {}

	async session(path: string): Promise<InferenceRunner> {
		const info = await loadSession({
			installKey: this.installKey,
			path,
			backend: this.backendPreference
		});
		if (!info.reused) this.timings.loadMs += info.readMs + info.createMs;
		this.record(info.backend, info.threads, info.notes);
		return {
			inputNames: info.inputNames,
			outputNames: info.outputNames,
			run: async (inputs) => {
				this.inferences++;
				const result = await runSession({ sessionId: info.sessionId, inputs });
				this.timings.inferenceMs += result.inferenceMs;
				this.record(result.backend, result.threads, result.notes);
				return result.outputs;
			}
		};
	}

	readFile(path: string): Promise<Uint8Array> {
		return timeStage(this.timings, 'loadMs', () => readModelFile(this.installKey, path));
	}

	memo<T>(name: string, build: () => Promise<T>): Promise<T> {
		let values = memos.get(this.installKey);
		if (!values) memos.set(this.installKey, (values = new Map()));
		let value = values.get(name) as Promise<T> | undefined;
		if (!value) {
			const start = performance.now();
			value = build().finally(() => (this.timings.loadMs += performance.now() - start));
			values.set(name, value);
			value.catch(() => values.delete(name)); // a failed build is retried next time
		}
		return value;
	}

	stage<T>(name: 'preprocess' | 'postprocess', work: () => T | Promise<T>): Promise<T> {
		return timeStage(this.timings, `${name}Ms`, work);
	}

	private record(backend: Backend, threads: number, notes: string[]): void {
		this.backend = backend;
		this.threads = threads;
		for (const note of notes) this.notes.add(note);
	}
}
