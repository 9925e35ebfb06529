import { HearthError } from '$lib/errors';
import { formatBytes } from '$lib/ui/format';

export class StorageUnavailableError extends HearthError {
	constructor(cause?: unknown) {
		super(
			'storage-unavailable',
			'This browser does not let Hearth use IndexedDB here (private mode, or a site embedded in ' +
				'another site). Open Hearth in a normal window, or allow site data in your browser settings.',
			{ cause }
		);
		this.name = 'StorageUnavailableError';
	}
}

export class InsufficientStorageError extends HearthError {
	constructor(
		readonly neededBytes: number,
		readonly availableBytes: number
	) {
		super(
			'insufficient-storage',
			`This model needs ${formatBytes(neededBytes)} but only ${formatBytes(Math.max(0, availableBytes))} ` +
				'of browser storage is free. Delete models you no longer use, or free up disk space, then try again.'
		);
		this.name = 'InsufficientStorageError';
	}
}

export class StorageFullError extends HearthError {
	constructor(cause?: unknown) {
		super(
			'storage-full',
			'The browser ran out of storage space during the download, so the partial download was ' +
				'removed. Delete models you no longer use, or free up disk space, then download again.',
			{ cause }
		);
		this.name = 'StorageFullError';
	}
}

export class DownloadHttpError extends HearthError {
	constructor(
		readonly url: string,
		readonly status: number,
		statusText: string
	) {
		super(
			status === 404 ? 'not-found' : 'http-error',
			`The server answered ${status}${statusText ? ` ${statusText}` : ''} for ${url}. ` +
				(status === 404
					? 'The file is not there: reload the page to refresh the catalog, or check the model URL.'
					: 'Try again later; if it keeps failing, the host may be down or blocking the request.')
		);
		this.name = 'DownloadHttpError';
	}
}

export class NetworkError extends HearthError {
	constructor(url: string, storedBytes: number, cause?: unknown) {
		super(
			'network',
			`The connection failed while downloading ${url}. Check your connection, then press Resume` +
				(storedBytes > 0 ? `: the ${formatBytes(storedBytes)} already downloaded are kept.` : '.'),
			{ cause }
		);
		this.name = 'NetworkError';
	}
}

export class IntegrityError extends HearthError {
	constructor(path: string, detail: string) {
		super(
			'integrity',
			`${path} failed its integrity check (${detail}), so it was discarded and nothing of the model ` +
				'was kept. The file on the server is damaged or was replaced: try again later, or tell the ' +
				"site's owner.",
			undefined
		);
		this.name = 'IntegrityError';
	}
}

export class ModelNotInstalledError extends HearthError {
	constructor(key: string) {
		super(
			'not-installed',
			`The model ${key} is not downloaded (or its download is unfinished). Download it on the Models page first.`
		);
		this.name = 'ModelNotInstalledError';
	}
}

export class DownloadBusyError extends HearthError {
	constructor(key: string) {
		super(
			'download-busy',
			`${key} is already downloading, perhaps in another tab. Wait for it to finish, or close the other tab.`
		);
		this.name = 'DownloadBusyError';
	}
}
