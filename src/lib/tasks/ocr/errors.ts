import { HearthError } from '$lib/errors';

export class NotAnImageError extends HearthError {
	constructor(fileName: string, options?: { cause?: unknown }) {
		super(
			'not-an-image',
			`"${fileName}" is not an image this browser can open. Choose a PNG, JPEG, WebP, GIF or BMP picture.`,
			options
		);
		this.name = 'NotAnImageError';
	}
}

export class EmptyImageError extends HearthError {
	constructor() {
		super('empty-image', 'The image has no pixels. Choose another picture.');
		this.name = 'EmptyImageError';
	}
}

export class KeysMismatchError extends HearthError {
	constructor(classes: number, keys: number) {
		super(
			'ocr-keys-mismatch',
			`The recogniser scores ${classes} classes but its keys file gives ${keys} (with blank and space), so its output cannot be read. Delete this model on the Models page and download it again.`
		);
		this.name = 'KeysMismatchError';
	}
}

export class CameraError extends HearthError {
	constructor(reason: string, options?: { cause?: unknown }) {
		super(
			'camera-unavailable',
			`The camera could not be opened (${reason}). Allow camera access for this site, or choose a picture file instead.`,
			options
		);
		this.name = 'CameraError';
	}
}
