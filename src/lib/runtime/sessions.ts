import * as ort from 'onnxruntime-web/webgpu';
import { errorMessage } from '$lib/errors';
import { InferenceError, ModelLoadError, SessionNotFoundError } from './errors';
import { readModelFile } from './memory-installs';
import type {
	Backend,
	BackendPreference,
	LoadRequest,
	RunRequest,
	RunResult,
	RuntimeEnvironment,
	SessionInfo,
	TensorData
} from './protocol';
import { fromOrtTensor, toOrtTensor } from './tensors';
import { probeWebGpu, watchDeviceLoss, webGpuState } from './webgpu';

interface LoadedSession {
	info: SessionInfo;
	request: LoadRequest;
	session: ort.InferenceSession;
}

const sessions = new Map<string, LoadedSession>();
/** Loads in progress or done, by what was asked for, so the same model is never loaded twice. */
const loadsByRequest = new Map<string, Promise<SessionInfo>>();
let nextSessionId = 1;

const requestKey = (request: LoadRequest) =>
	JSON.stringify([request.installKey, request.path, request.backend]);

export function configureOrt(ortBaseUrl: string, threads?: number): void {
	ort.env.wasm.wasmPaths = ortBaseUrl;
	// Threads need SharedArrayBuffer, which only a cross-origin isolated page has.
	const cores = Math.max(1, navigator.hardwareConcurrency);
	ort.env.wasm.numThreads = self.crossOriginIsolated
		? Math.min(cores, Math.max(1, Math.floor(threads ?? cores)))
		: 1;
	ort.env.logLevel = 'error';
}

export async function describeEnvironment(): Promise<RuntimeEnvironment> {
	const gpu = await probeWebGpu();
	return {
		ortVersion: ort.env.versions.web ?? 'unknown',
		crossOriginIsolated: self.crossOriginIsolated,
		hardwareConcurrency: navigator.hardwareConcurrency,
		wasmThreads: wasmThreads(),
		webgpu: {
			available: gpu.available,
			fallbackAdapter: gpu.fallback,
			description: gpu.description
		}
	};
}

function wasmThreads(): number {
	return ort.env.wasm.numThreads ?? 1;
}

async function chooseBackend(preference: BackendPreference, notes: string[]): Promise<Backend> {
	if (preference === 'wasm') return 'wasm';
	const gpu = await probeWebGpu();
	if (webGpuState.lost) {
		notes.push(
			`The GPU device was lost (${webGpuState.lost}); running on WASM. Reload the page to try WebGPU again.`
		);
		return 'wasm';
	}
	if (!gpu.available) {
		if (preference === 'webgpu') {
			notes.push(`WebGPU is not available (${gpu.reason}); running on WASM.`);
		}
		return 'wasm';
	}
	if (preference === 'auto' && gpu.fallback) {
		notes.push(
			'The only WebGPU adapter is a software one, slower than WASM here; running on WASM.'
		);
		return 'wasm';
	}
	return 'webgpu';
}

async function createSession(bytes: Uint8Array, backend: Backend, path: string) {
	try {
		return await ort.InferenceSession.create(bytes, {
			executionProviders: [backend],
			graphOptimizationLevel: 'all'
		});
	} catch (error) {
		throw new ModelLoadError(path, errorMessage(error));
	}
}

/** A session for the request: the loaded one when there is one, else a new one. */
export async function loadSession(request: LoadRequest): Promise<SessionInfo> {
	const key = requestKey(request);
	const existing = loadsByRequest.get(key);
	if (existing) {
		const info = await existing;
		const loaded = sessions.get(info.sessionId);
		if (loaded) return { ...loaded.info, reused: true };
	}
	const loading = createLoadedSession(request);
	loadsByRequest.set(key, loading);
	loading.catch(() => loadsByRequest.delete(key));
	return loading;
}

async function createLoadedSession(request: LoadRequest): Promise<SessionInfo> {
	const notes: string[] = [];
	let backend = await chooseBackend(request.backend, notes);
	const readStart = performance.now();
	const bytes = await readModelFile(request.installKey, request.path);
	const createStart = performance.now();
	let session: ort.InferenceSession;
	try {
		session = await createSession(bytes, backend, request.path);
	} catch (error) {
		if (backend !== 'webgpu') throw error;
		notes.push(`WebGPU could not load this model (${errorMessage(error)}); running on WASM.`);
		backend = 'wasm';
		session = await createSession(bytes, backend, request.path);
	}
	if (backend === 'webgpu') watchDeviceLoss(await ort.env.webgpu.device);
	const info: SessionInfo = {
		sessionId: `s${nextSessionId++}`,
		backend,
		threads: wasmThreads(),
		inputNames: [...session.inputNames],
		outputNames: [...session.outputNames],
		readMs: createStart - readStart,
		createMs: performance.now() - createStart,
		reused: false,
		notes
	};
	sessions.set(info.sessionId, { info, request, session });
	return info;
}

/** Which model file a session runs, for the Monitor's records; undefined for an unknown id. */
export function describeSession(sessionId: string): LoadRequest | undefined {
	return sessions.get(sessionId)?.request;
}

export async function runSession(request: RunRequest): Promise<RunResult> {
	const loaded = sessions.get(request.sessionId);
	if (!loaded) throw new SessionNotFoundError(request.sessionId);
	if (loaded.info.backend === 'webgpu' && webGpuState.lost) {
		await moveToWasm(loaded, `the GPU device was lost (${webGpuState.lost})`);
	}
	try {
		return await runOnce(loaded, request.inputs);
	} catch (error) {
		if (loaded.info.backend !== 'webgpu') throw error;
		await moveToWasm(loaded, `WebGPU failed: ${errorMessage(error)}`);
		return runOnce(loaded, request.inputs);
	}
}

async function runOnce(
	loaded: LoadedSession,
	inputs: Record<string, TensorData>
): Promise<RunResult> {
	const feeds: Record<string, ort.Tensor> = {};
	for (const [name, tensor] of Object.entries(inputs)) feeds[name] = toOrtTensor(tensor);
	const start = performance.now();
	let results: ort.InferenceSession.ReturnType;
	try {
		results = await loaded.session.run(feeds);
	} catch (error) {
		throw new InferenceError(errorMessage(error));
	}
	const inferenceMs = performance.now() - start;
	const outputs: Record<string, TensorData> = {};
	for (const [name, tensor] of Object.entries(results)) {
		outputs[name] = await fromOrtTensor(tensor);
		tensor.dispose();
	}
	return {
		outputs,
		backend: loaded.info.backend,
		threads: loaded.info.threads,
		inferenceMs,
		notes: loaded.info.notes
	};
}

/** Recreates a session on WASM after WebGPU failed it, and says so from then on. */
async function moveToWasm(loaded: LoadedSession, reason: string): Promise<void> {
	const note = `Switched to WASM: ${reason}.`;
	await loaded.session.release().catch(() => undefined); // the GPU session may be unusable already
	const bytes = await readModelFile(loaded.request.installKey, loaded.request.path);
	loaded.session = await createSession(bytes, 'wasm', loaded.request.path);
	loaded.info = { ...loaded.info, backend: 'wasm', notes: [...loaded.info.notes, note] };
}

/** Releases one session, or every session of an install (when its model is deleted). */
export async function unloadSessions(target: { sessionId: string } | { installKey: string }) {
	const matching = [...sessions.values()].filter((loaded) =>
		'sessionId' in target
			? loaded.info.sessionId === target.sessionId
			: loaded.request.installKey === target.installKey
	);
	for (const loaded of matching) {
		sessions.delete(loaded.info.sessionId);
		loadsByRequest.delete(requestKey(loaded.request));
		await loaded.session.release();
	}
	return matching.length;
}
