import { HearthError } from '$lib/errors';

/** Smallest side, in pixels, that still shows a person the model can find. */
export const MIN_IMAGE_SIDE = 32;

export class ImageTooSmallError extends HearthError {
	constructor(width: number, height: number) {
		super(
			'image-too-small',
			`The picture is only ${width} × ${height} pixels; at least ${MIN_IMAGE_SIDE} × ${MIN_IMAGE_SIDE} is needed to find anything in it. Choose a larger picture.`
		);
		this.name = 'ImageTooSmallError';
	}
}

export class PoseModelError extends HearthError {
	constructor(detail: string) {
		super(
			'pose-model-mismatch',
			`This model does not give MoveNet's heatmap, centre, regression and offset outputs (${detail}). Choose a MoveNet variant.`
		);
		this.name = 'PoseModelError';
	}
}
