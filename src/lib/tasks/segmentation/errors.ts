import { HearthError } from '$lib/errors';

export class SegmentationSaveError extends HearthError {
	constructor(detail: string) {
		super(
			'segmentation-save-failed',
			`The result could not be saved as a PNG (${detail}). Try a smaller picture or another browser.`
		);
		this.name = 'SegmentationSaveError';
	}
}
