/**
 * Finding the ONNX variants of a repo laid out the way the Hugging Face hub and transformers.js
 * expect: config.json and tokenizer files at the top, graphs in onnx/ told apart by a suffix
 * (model.onnx, model_fp16.onnx, model_quantized.onnx, ...). The host is either the hub
 * (<host>/<repo>/resolve/main/<file>, with a file listing at <host>/api/models/<repo>) or a
 * plain folder tree (<host>/<repo>/<file>), which is probed file by file.
 */
import type { FileKind, ModelFile, ModelVariant, Precision } from './manifest';
import { fetchJson, probeFile, type Fetcher } from './remote-files';
import { InvalidModelAddressError, RepoNotFoundError } from './user-model-errors';

/** transformers.js's dtypes and the file suffix each one loads. */
export const VARIANT_SUFFIXES: readonly {
	id: string;
	suffix: string;
	precision: Precision;
	name: string;
}[] = [
	{ id: 'fp32', suffix: '', precision: 'fp32', name: 'fp32' },
	{ id: 'fp16', suffix: '_fp16', precision: 'fp16', name: 'fp16' },
	{ id: 'q8', suffix: '_quantized', precision: 'int8', name: 'q8 (quantized)' },
	{ id: 'int8', suffix: '_int8', precision: 'int8', name: 'int8' },
	{ id: 'uint8', suffix: '_uint8', precision: 'int8', name: 'uint8' },
	{ id: 'q4', suffix: '_q4', precision: 'int4', name: 'q4' },
	{ id: 'q4f16', suffix: '_q4f16', precision: 'mixed', name: 'q4f16 (4-bit weights, fp16)' },
	{ id: 'bnb4', suffix: '_bnb4', precision: 'int4', name: 'bnb4' }
];

/** Files every variant needs besides its graphs: model config and tokenizer. */
export const SHARED_FILES: readonly { path: string; kind: FileKind }[] = [
	{ path: 'config.json', kind: 'config' },
	{ path: 'generation_config.json', kind: 'config' },
	{ path: 'preprocessor_config.json', kind: 'config' },
	{ path: 'tokenizer.json', kind: 'tokenizer' },
	{ path: 'tokenizer_config.json', kind: 'tokenizer' },
	{ path: 'special_tokens_map.json', kind: 'tokenizer' },
	{ path: 'added_tokens.json', kind: 'tokenizer' },
	{ path: 'vocab.txt', kind: 'vocabulary' },
	{ path: 'vocab.json', kind: 'vocabulary' },
	{ path: 'merges.txt', kind: 'vocabulary' }
];

export interface RepoFile {
	path: string;
	bytes: number;
	/** The hub's LFS SHA-256, when its listing gives one. */
	sha256?: string;
}

export interface SkippedVariant {
	id: string;
	reason: string;
}

/** Which variant an ONNX path belongs to, and the graph's name without the suffix. */
export function parseOnnxPath(path: string): { variant: string; graph: string } | null {
	const match = path.match(/^onnx\/([^/]+)\.onnx$/);
	if (!match) return null;
	const stem = match[1]!;
	// Longest suffix first, so model_q4f16 is q4f16 and not q4 of a graph called "model_q4f16".
	const known = [...VARIANT_SUFFIXES]
		.filter((entry) => entry.suffix && stem.endsWith(entry.suffix))
		.sort((a, b) => b.suffix.length - a.suffix.length)[0];
	return known
		? { variant: known.id, graph: stem.slice(0, -known.suffix.length) }
		: { variant: 'fp32', graph: stem };
}

/** A graph's weights in a side file: model.onnx_data, model.onnx.data, model.onnx_data_1, ... */
function externalDataOf(graphPath: string, paths: readonly string[]): string[] {
	return paths.filter(
		(path) => path.startsWith(`${graphPath}_data`) || path.startsWith(`${graphPath}.data`)
	);
}

function sharedFile(file: RepoFile, kind: FileKind): ModelFile {
	return modelFile(file, kind, file.path.replace(/\.[^.]+$/, ''));
}

function modelFile(file: RepoFile, kind: FileKind, role: string): ModelFile {
	return {
		path: file.path,
		bytes: file.bytes,
		sha256: file.sha256 ?? '',
		sha256Source: file.sha256 ? 'published' : 'computed',
		kind,
		role
	};
}

/**
 * One variant per suffix present, each with its graphs and every shared file. A variant whose
 * graph keeps its weights in external data is left out with the reason, since Hearth cannot
 * load it; so is one whose graphs are not all there.
 */
export function planRepoVariants(files: readonly RepoFile[]): {
	variants: ModelVariant[];
	skipped: SkippedVariant[];
} {
	const paths = files.map((file) => file.path);
	const shared = SHARED_FILES.flatMap(({ path, kind }) => {
		const file = files.find((candidate) => candidate.path === path);
		return file ? [sharedFile(file, kind)] : [];
	});
	const variants: ModelVariant[] = [];
	const skipped: SkippedVariant[] = [];
	for (const entry of VARIANT_SUFFIXES) {
		const graphs = files
			.map((file) => ({ file, parsed: parseOnnxPath(file.path) }))
			.filter(({ parsed }) => parsed?.variant === entry.id);
		if (graphs.length === 0) continue;
		const external = graphs.flatMap(({ file }) => externalDataOf(file.path, paths));
		if (external.length > 0) {
			skipped.push({
				id: entry.id,
				reason: `${entry.name} keeps its weights in ${external.join(', ')} (external data, which Hearth cannot load)`
			});
			continue;
		}
		const graphFiles = graphs.map(({ file, parsed }) => modelFile(file, 'onnx', parsed!.graph));
		variants.push({
			id: entry.id,
			name: entry.name,
			description: [...graphFiles, ...shared].map((file) => file.path).join(', '),
			precision: entry.precision,
			files: [...graphFiles, ...shared]
		});
	}
	return { variants, skipped };
}

interface HubSibling {
	rfilename?: unknown;
	size?: unknown;
	lfs?: { sha256?: unknown; size?: unknown } | null;
}

/**
 * The files of a hub listing (GET /api/models/<repo>?blobs=true), with sizes and LFS hashes
 * where it gives them (size 0 means "ask with HEAD"); null for anything else.
 */
export function parseHubListing(value: unknown): RepoFile[] | null {
	const siblings = (value as { siblings?: unknown } | null)?.siblings;
	if (!Array.isArray(siblings)) return null;
	return (siblings as HubSibling[]).flatMap((sibling) => {
		if (typeof sibling?.rfilename !== 'string') return [];
		const lfs = sibling.lfs;
		const size = typeof lfs?.size === 'number' ? lfs.size : sibling.size;
		const sha256 =
			typeof lfs?.sha256 === 'string' && /^[0-9a-f]{64}$/i.test(lfs.sha256)
				? lfs.sha256.toLowerCase()
				: undefined;
		return [{ path: sibling.rfilename, bytes: typeof size === 'number' ? size : 0, sha256 }];
	});
}

export function normalizeHost(host: string): string {
	let url: URL;
	try {
		url = new URL(host.trim());
	} catch {
		throw new InvalidModelAddressError('host', host);
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw new InvalidModelAddressError('host', host);
	}
	return `${url.origin}${url.pathname.replace(/\/*$/, '/')}`;
}

export function checkRepoId(repo: string): string {
	const trimmed = repo.trim().replace(/^\/+|\/+$/g, '');
	const part = '[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9_-])?';
	if (!new RegExp(`^${part}(?:/${part})?$`).test(trimmed) || trimmed.includes('..')) {
		throw new InvalidModelAddressError('repo', repo);
	}
	return trimmed;
}

export interface DiscoveredRepo {
	/** Where the files' paths resolve: <host>/<repo>/resolve/main/ or <host>/<repo>/. */
	baseUrl: string;
	layout: 'hub' | 'folder';
	/** True when the host listed the files; false when Hearth probed for them. */
	listed: boolean;
	files: RepoFile[];
}

/** The paths Hearth probes on a host without a listing. */
export function probePaths(): string[] {
	return [
		...SHARED_FILES.map((file) => file.path),
		...VARIANT_SUFFIXES.map((entry) => `onnx/model${entry.suffix}.onnx`)
	];
}

async function probeAll(fetcher: Fetcher, baseUrl: string, paths: string[]): Promise<RepoFile[]> {
	const found = await Promise.all(
		paths.map(async (path) => {
			const file = await probeFile(fetcher, new URL(path, baseUrl).href);
			return file ? { path, bytes: file.bytes } : null;
		})
	);
	return found.filter((file) => file !== null);
}

/** Finds the repo on the host and lists its files with their sizes. */
export async function discoverRepo(
	fetcher: Fetcher,
	hostInput: string,
	repoInput: string
): Promise<DiscoveredRepo> {
	const host = normalizeHost(hostInput);
	const repo = checkRepoId(repoInput);
	const layouts = [
		{ layout: 'hub' as const, baseUrl: `${host}${repo}/resolve/main/` },
		{ layout: 'folder' as const, baseUrl: `${host}${repo}/` }
	];
	for (const { layout, baseUrl } of layouts) {
		const config = await fetchJson(fetcher, `${baseUrl}config.json`);
		if (!config) continue;
		const listing =
			layout === 'hub'
				? await fetchJson(fetcher, `${host}api/models/${repo}?blobs=true`).catch(() => null)
				: null;
		const listed = listing ? parseHubListing(listing.value) : null;
		let files: RepoFile[];
		if (listed) {
			const sized = await Promise.all(
				listed.map(async (file) => {
					if (file.bytes > 0 || !isWanted(file.path)) return file;
					const probed = await probeFile(fetcher, new URL(file.path, baseUrl).href);
					return { ...file, bytes: probed?.bytes ?? 0 };
				})
			);
			files = sized.filter((file) => isWanted(file.path));
		} else {
			files = await probeAll(fetcher, baseUrl, probePaths());
			// Side files are only looked for next to the graphs that exist.
			const graphs = files.filter((file) => parseOnnxPath(file.path));
			const sidePaths = graphs.flatMap((file) => [`${file.path}_data`, `${file.path}.data`]);
			files.push(...(await probeAll(fetcher, baseUrl, sidePaths)));
		}
		const withConfig = files.some((file) => file.path === 'config.json')
			? files
			: [{ path: 'config.json', bytes: config.bytes }, ...files];
		return { baseUrl, layout, listed: listed !== null, files: withConfig };
	}
	throw new RepoNotFoundError(
		host,
		repo,
		layouts.map(({ baseUrl }) => `${baseUrl}config.json`)
	);
}

/** The files a variant could use: graphs, their side files, config and tokenizer. */
function isWanted(path: string): boolean {
	return path.startsWith('onnx/') || SHARED_FILES.some((file) => file.path === path);
}
