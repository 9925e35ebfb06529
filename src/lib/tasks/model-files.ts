import type { ModelFile } from '$lib/catalog/manifest';
import { HearthError } from '$lib/errors';

export class ModelMismatchError extends HearthError {
	constructor(task: string, missing: string) {
		super(
			'model-mismatch',
			`This model variant has no ${missing}, so it cannot run the ${task} task. Pick a model made for ${task} on this page.`
		);
		this.name = 'ModelMismatchError';
	}
}

/** The file of a variant that plays `role`, or the first ONNX graph when no role is asked for. */
export function fileForRole(files: readonly ModelFile[], task: string, role?: string): ModelFile {
	const file = role
		? files.find((candidate) => candidate.role === role)
		: files.find((candidate) => candidate.kind === 'onnx');
	if (!file) throw new ModelMismatchError(task, role ? `"${role}" file` : 'ONNX graph');
	return file;
}
