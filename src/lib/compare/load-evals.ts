/**
 * Page side: fetches the eval set of a task from the site's static/evals/, checks every file
 * against the SHA-256 the build recorded, and decodes the OCR pictures into pixels (which needs
 * the page's canvas).
 */
import { errorMessage } from '../errors';
import { decodeImage } from '../tasks/ocr/decode-image';
import type { RgbaImage } from '../tasks/types';
import { EvalSetError } from './errors';
import {
	EVALS_INDEX,
	EVALS_SCHEMA,
	type EvalFile,
	type EvalIndex,
	type EvalTask
} from './eval-set';
import { planEval, type EvalPlan } from './plan';

async function fetchBytes(root: string, path: string): Promise<Uint8Array> {
	let response: Response;
	try {
		response = await fetch(new URL(path, root));
	} catch (error) {
		throw new EvalSetError(path, errorMessage(error));
	}
	if (!response.ok) throw new EvalSetError(path, `the server answered ${response.status}`);
	return new Uint8Array(await response.arrayBuffer());
}

async function sha256(bytes: Uint8Array): Promise<string> {
	const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
	return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

async function fetchChecked(root: string, file: EvalFile): Promise<Uint8Array> {
	const bytes = await fetchBytes(root, file.path);
	if ((await sha256(bytes)) !== file.sha256)
		throw new EvalSetError(file.path, 'its content is not what the build recorded');
	return bytes;
}

/** The plan for a task's eval set, served under `root` (the site's evals/ folder URL). */
export async function loadEvalPlan(root: string, task: EvalTask): Promise<EvalPlan> {
	const index = JSON.parse(
		new TextDecoder().decode(await fetchBytes(root, EVALS_INDEX))
	) as EvalIndex;
	if (index.schema !== EVALS_SCHEMA)
		throw new EvalSetError(EVALS_INDEX, `schema ${index.schema}, expected ${EVALS_SCHEMA}`);
	const set = index.sets[task];
	const files = new Map<string, Uint8Array>();
	const images = new Map<string, RgbaImage>();
	const binary =
		set.task === 'digits'
			? [set.images]
			: set.task === 'vad'
				? set.recordings.map((r) => r.audio)
				: [];
	for (const file of binary) files.set(file.path, await fetchChecked(root, file));
	if (set.task === 'ocr') {
		for (const line of set.lines) {
			const png = await fetchChecked(root, line.image);
			const decoded = await decodeImage(
				new Blob([png as Uint8Array<ArrayBuffer>], { type: 'image/png' }),
				line.image.path
			);
			images.set(line.image.path, decoded.image);
		}
	}
	return planEval(set, files, images);
}
