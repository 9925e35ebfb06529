import { HearthError } from '$lib/errors';

export class EmptyTextError extends HearthError {
	constructor(what = 'The text') {
		super('empty-text', `${what} is empty. Type or paste some words, then try again.`);
		this.name = 'EmptyTextError';
	}
}

export class TokenizerError extends HearthError {
	constructor(detail: string) {
		super(
			'tokenizer',
			`The model's tokenizer could not be loaded (${detail}). Delete the model on the Models page and download it again.`
		);
		this.name = 'TokenizerError';
	}
}
