/** What can go wrong while adding a model by URL or repo id, each with the way out. */
import { HearthError } from '$lib/errors';

export class InvalidModelAddressError extends HearthError {
	constructor(what: 'url' | 'host' | 'repo', value: string) {
		const detail = {
			url: 'Give the full address of the .onnx file, starting with https:// (or http:// for a local server).',
			host: "Give the host's base address, like https://huggingface.co or http://127.0.0.1:8080.",
			repo: 'Give it as owner/name (letters, digits, "-", "_" and "."), the way the hub shows it.'
		}[what];
		super(
			`${what}-invalid`,
			`"${value}" is not a valid ${what === 'repo' ? 'repo id' : what.toUpperCase()}. ${detail}`
		);
		this.name = 'InvalidModelAddressError';
	}
}

/**
 * fetch() failed without an HTTP answer. For another site's file that is almost always CORS:
 * browsers hide the reason from the page, so the message names what the host must send.
 */
export class FetchBlockedError extends HearthError {
	constructor(
		readonly url: string,
		crossOrigin: boolean,
		cause?: unknown
	) {
		super(
			'fetch-blocked',
			crossOrigin
				? `Hearth could not read ${url}. It is on another site, so that host must allow it: it has to ` +
						'send "Access-Control-Allow-Origin: *" (CORS) and, because Hearth runs cross-origin ' +
						'isolated, "Cross-Origin-Resource-Policy: cross-origin" on its files. If it does, check the ' +
						'address and your connection, or download the file and add it from your disk.'
				: `Hearth could not reach ${url}. Check the address and your connection, then try again.`,
			{ cause }
		);
		this.name = 'FetchBlockedError';
	}
}

export class RemoteFileError extends HearthError {
	constructor(
		readonly url: string,
		readonly status: number
	) {
		super(
			status === 404 || status === 410 ? 'url-not-found' : 'url-http-error',
			`The server answered ${status} for ${url}` +
				(status === 404 || status === 410
					? ': there is no file there. Check the address (copy the link of the file itself, for a hub the "resolve" link, not the page showing it).'
					: '. Try again later; if it keeps failing, the host may be down or may refuse the request.')
		);
		this.name = 'RemoteFileError';
	}
}

export class NotAModelFileError extends HearthError {
	constructor(url: string, contentType: string) {
		super(
			'url-not-a-file',
			`${url} answered with a web page (${contentType}), not a model file. Use the address of the ` +
				'file itself: on Hugging Face that is the "resolve/main/..." link, not the "blob/main/..." page.'
		);
		this.name = 'NotAModelFileError';
	}
}

export class UnknownSizeError extends HearthError {
	constructor(url: string) {
		super(
			'url-no-size',
			`${url} does not say how large it is (no Content-Length, and no answer to a range request), so ` +
				'Hearth cannot check space or resume the download. Download the file and add it from your disk.'
		);
		this.name = 'UnknownSizeError';
	}
}

export class RepoNotFoundError extends HearthError {
	constructor(host: string, repo: string, tried: string[]) {
		super(
			'repo-not-found',
			`${host} has no repo "${repo}": neither ${tried.join(' nor ')} has a config.json. Check the ` +
				'repo id (owner/name, spelled as on the hub) and the host address.'
		);
		this.name = 'RepoNotFoundError';
	}
}

export class RepoWithoutOnnxError extends HearthError {
	constructor(repo: string, skipped: string[]) {
		super(
			'repo-no-onnx',
			`The repo "${repo}" has no ONNX model Hearth can use` +
				(skipped.length > 0 ? ` (${skipped.join('; ')})` : ': it has no onnx/model*.onnx files') +
				'. Pick a repo made for transformers.js (often named onnx-community/... or Xenova/...), or ' +
				'convert the model with Optimum (optimum-cli export onnx).'
		);
		this.name = 'RepoWithoutOnnxError';
	}
}
