import { HearthError } from '$lib/errors';

export class ModerationModelError extends HearthError {
	constructor(detail: string) {
		super(
			'moderation-model-mismatch',
			`This model cannot sort pictures into moderation classes (${detail}). Choose the NSFW image moderation model.`
		);
		this.name = 'ModerationModelError';
	}
}
