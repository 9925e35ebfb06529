/**
 * What the worker knows about WebGPU: whether an adapter exists, whether it is a software
 * fallback (SwiftShader in headless Chromium, correct but slower than WASM), and whether the
 * device ORT uses has been lost since, in which case every later run goes to WASM.
 */
export interface WebGpuProbe {
	available: boolean;
	fallback: boolean;
	description: string;
	/** Why WebGPU is unavailable, for the note the user sees. */
	reason: string;
}

export const webGpuState: { lost: string | null } = { lost: null };

let probing: Promise<WebGpuProbe> | null = null;
const watched = new WeakSet<GPUDevice>();

export function probeWebGpu(): Promise<WebGpuProbe> {
	probing ??= probe();
	return probing;
}

async function probe(): Promise<WebGpuProbe> {
	const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
	if (!gpu) return unavailable('this browser does not offer WebGPU');
	try {
		const adapter = await gpu.requestAdapter();
		if (!adapter) return unavailable('no GPU adapter was found');
		const info = adapter.info;
		const description =
			[info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ') ||
			'unnamed adapter';
		return { available: true, fallback: info.isFallbackAdapter, description, reason: '' };
	} catch (error) {
		return unavailable(error instanceof Error ? error.message : String(error));
	}
}

function unavailable(reason: string): WebGpuProbe {
	return { available: false, fallback: false, description: '', reason };
}

export function watchDeviceLoss(device: GPUDevice): void {
	if (watched.has(device)) return;
	watched.add(device);
	void device.lost.then((info) => {
		// ORT destroys its own device when it is done with it; only a real loss matters.
		if (info.reason !== 'destroyed') webGpuState.lost = info.message || 'unknown reason';
	});
}
