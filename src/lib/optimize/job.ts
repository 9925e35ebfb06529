/**
 * One optimization job: every ONNX file of a variant through optimizeOnnx with the same settings
 * (PaddleOCR's detector, recognizer and classifier together). A file in which the method finds
 * nothing to change is kept as it is, with the reason, so long as another file changed; when
 * none did, the first file's error stands. Every other error (already quantized, external data,
 * too large) stops the job. Pure, so the worker and the tests run the same code.
 */
import { NothingToOptimizeError } from './errors';
import { optimizeOnnx } from './optimize';
import type { OptimizedFile, OptimizeJob, OptimizeJobProgress, OptimizeOutcome } from './protocol';

/** The share of a file's time each stage takes, roughly, for one smooth progress bar. */
const STAGE_SHARE = { reading: [0, 0.2], transforming: [0.2, 0.8], writing: [0.8, 1] } as const;

export function runOptimizeJob(
	job: OptimizeJob,
	onProgress: (progress: OptimizeJobProgress) => void = () => undefined
): OptimizeOutcome {
	const started = performance.now();
	const files: OptimizedFile[] = [];
	const unchanged: NothingToOptimizeError[] = [];
	const count = job.files.length;
	job.files.forEach((file, fileIndex) => {
		const fileName = file.path.split('/').pop() ?? file.path;
		try {
			const result = optimizeOnnx(file.bytes, fileName, job.settings, {
				memoryBudgetBytes: job.memoryBudgetBytes,
				onProgress: (progress) => {
					const [from, to] = STAGE_SHARE[progress.stage];
					const within = from + (to - from) * progress.fraction;
					onProgress({
						...progress,
						path: file.path,
						fileIndex,
						fileCount: count,
						overall: (fileIndex + within) / count
					});
				}
			});
			files.push({ path: file.path, bytes: result.bytes, report: result.report });
		} catch (error) {
			if (!(error instanceof NothingToOptimizeError)) throw error;
			unchanged.push(error);
			files.push({ path: file.path, bytes: file.bytes, report: null, keptBecause: error.message });
		}
	});
	if (unchanged.length === count && unchanged[0]) throw unchanged[0];
	return { files, milliseconds: performance.now() - started };
}
