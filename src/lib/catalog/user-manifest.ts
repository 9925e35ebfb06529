/**
 * Manifests for models the user adds: from a file on disk, from the URL of an .onnx file, or
 * from a repo on a hub. They have the catalog's shape (task 'custom'), so the Models page, the
 * store and the runtime treat them like any other model.
 */
import type { onnx } from 'onnx-proto';
import { graphSignature, UnsupportedTensorError } from '$lib/optimize/onnx-graph';
import {
	MANIFEST_SCHEMA,
	type GraphSpec,
	type ModelFile,
	type ModelManifest,
	type ModelOrigin,
	type ModelVariant
} from './manifest';
import { InvalidModelAddressError } from './user-model-errors';

const UNKNOWN_LICENCE = {
	spdx: 'unknown',
	note: 'Added by you. Its licence is whatever its authors chose: check it before you share results.'
};

/** A short, stable, URL-safe id: the same file, URL or repo always gets the same one. */
export function userModelId(name: string, key: string): string {
	const slug =
		name
			.toLowerCase()
			.replace(/\.onnx$/, '')
			.replace(/[^a-z0-9]+/g, '-')
			.replace(/^-+|-+$/g, '')
			.slice(0, 40) || 'model';
	return `user-${slug}-${fnv1a(key)}`;
}

/** FNV-1a, 32 bits, as 8 hex digits: enough to tell a user's few models apart. */
function fnv1a(text: string): string {
	let hash = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		hash ^= text.charCodeAt(i);
		hash = Math.imul(hash, 0x01000193);
	}
	return (hash >>> 0).toString(16).padStart(8, '0');
}

/**
 * The inputs and outputs in the manifest's terms, when they fit them; a graph with, say, a
 * float64 input is still stored and inspectable, it only has no signature in the manifest.
 */
export function graphSpecOf(model: onnx.IModelProto): GraphSpec | undefined {
	try {
		return { ...graphSignature(model), sample: [] };
	} catch (error) {
		if (error instanceof UnsupportedTensorError) return undefined;
		throw error;
	}
}

function userManifest(
	id: string,
	name: string,
	description: string,
	origin: ModelOrigin,
	variants: ModelVariant[],
	baseUrl?: string
): ModelManifest {
	return {
		schema: MANIFEST_SCHEMA,
		id,
		name,
		task: 'custom',
		description,
		licence: UNKNOWN_LICENCE,
		source: { package: '', version: '', upstream: origin.label, build: 'Added by you.' },
		...(baseUrl ? { baseUrl } : {}),
		origin,
		variants
	};
}

/** A single-variant model whose one file is `file`. */
function singleVariant(file: ModelFile, description: string): ModelVariant {
	return { id: 'model', name: 'As added', description, precision: 'fp32', files: [file] };
}

export function manifestForFile(
	fileName: string,
	bytes: number,
	sha256: string,
	graph: GraphSpec | undefined,
	addedAt = Date.now()
): ModelManifest {
	const file: ModelFile = {
		path: 'model.onnx',
		bytes,
		sha256,
		sha256Source: 'computed',
		kind: 'onnx',
		role: 'model',
		...(graph ? { graph } : {})
	};
	return userManifest(
		userModelId(fileName, sha256),
		fileName,
		`Added from the file ${fileName} on this device.`,
		{ kind: 'file', label: fileName, addedAt },
		[singleVariant(file, 'The file as you added it.')]
	);
}

/** Splits a file URL into the folder the store downloads from and the file's path in it. */
export function splitFileUrl(input: string): { baseUrl: string; path: string; name: string } {
	let url: URL;
	try {
		url = new URL(input.trim());
	} catch {
		throw new InvalidModelAddressError('url', input);
	}
	const segment = url.pathname.split('/').pop() ?? '';
	if ((url.protocol !== 'https:' && url.protocol !== 'http:') || !segment) {
		throw new InvalidModelAddressError('url', input);
	}
	// The query stays on the file's path: signed links carry their token there.
	return {
		baseUrl: new URL('./', url).href,
		path: `${segment}${url.search}`,
		name: decodeURIComponent(segment)
	};
}

export function manifestForUrl(url: string, bytes: number, addedAt = Date.now()): ModelManifest {
	const { baseUrl, path, name } = splitFileUrl(url);
	const file: ModelFile = {
		path,
		bytes,
		sha256: '',
		sha256Source: 'computed',
		kind: 'onnx',
		role: 'model'
	};
	return userManifest(
		userModelId(name, url),
		name,
		`Downloaded from ${url}.`,
		{ kind: 'url', label: url, addedAt },
		[singleVariant(file, 'The file at the URL.')],
		baseUrl
	);
}

export function manifestForRepo(
	host: string,
	repo: string,
	baseUrl: string,
	variants: ModelVariant[],
	addedAt = Date.now()
): ModelManifest {
	return userManifest(
		userModelId(repo.split('/').pop() ?? repo, `${host} ${repo}`),
		repo,
		`The ONNX variants of ${repo} on ${host}, with its config and tokenizer files.`,
		{ kind: 'repo', label: repo, host, addedAt },
		variants,
		baseUrl
	);
}
