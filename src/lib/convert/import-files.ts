/**
 * Turns what a user gives the Import page (loose files, a whole folder, or the files fetched
 * from a URL) into the reader's input: which file is model.json, and every other file as a
 * shard by its path relative to model.json, the way model.json names them. Pure: the convert
 * worker runs it, and unit tests pin down each way the choice can go wrong.
 */
import { TfjsNoModelJsonError, TfjsSeveralModelsError } from './import-errors';
import type { TfjsFiles } from './tfjs-model';

export interface ImportFile {
	/** The file's name, or its path inside a chosen folder ("web_model/model.json"). */
	path: string;
	bytes: Uint8Array;
}

const isShardName = (path: string) => /\.bin$/i.test(path) || /shard\d+of\d+$/i.test(path);
const baseName = (path: string) => path.split('/').at(-1) ?? path;
const folderOf = (path: string) => path.slice(0, Math.max(0, path.lastIndexOf('/')));

function looksLikeModelJson(bytes: Uint8Array): boolean {
	// Only the top-level keys matter; a JSON parse would also accept a model.json without them.
	try {
		const json: unknown = JSON.parse(new TextDecoder().decode(bytes));
		return (
			typeof json === 'object' &&
			json !== null &&
			'modelTopology' in json &&
			'weightsManifest' in json
		);
	} catch {
		return false;
	}
}

/**
 * Picks model.json: the one JSON file that has a topology and a weights manifest. When none
 * does but exactly one file is not a shard (a PNG, some other JSON), that file is handed to the
 * reader, whose error then says precisely why it is not a model.
 */
export function chooseModelJson(files: readonly ImportFile[]): ImportFile {
	const candidates = files.filter((file) => !isShardName(file.path));
	const models = candidates.filter(
		(file) => /\.json$/i.test(file.path) && looksLikeModelJson(file.bytes)
	);
	if (models.length === 1) return models[0]!;
	if (models.length > 1) throw new TfjsSeveralModelsError(models.map((file) => file.path));
	if (candidates.length === 1) return candidates[0]!;
	throw new TfjsNoModelJsonError(files.map((file) => file.path));
}

/** model.json and its shards, keyed as model.json refers to them (relative to its folder). */
export function gatherTfjsFiles(files: readonly ImportFile[], source?: string): TfjsFiles {
	const modelJson = chooseModelJson(files);
	const folder = folderOf(modelJson.path);
	const shards = new Map<string, Uint8Array>();
	for (const file of files) {
		if (file === modelJson) continue;
		const relative =
			folder && file.path.startsWith(`${folder}/`) ? file.path.slice(folder.length + 1) : file.path;
		shards.set(relative, file.bytes);
	}
	return {
		modelJson: new TextDecoder().decode(modelJson.bytes),
		shards,
		source: source ?? baseName(modelJson.path)
	};
}

/**
 * A model name from where model.json came from: "blazeface" for blazeface.json, the folder's
 * name for a file called model.json ("mobilenet/model.json" -> "mobilenet").
 */
export function modelNameFromPath(path: string): string {
	let clean = path.split(/[?#]/)[0]!;
	if (/^[a-z][a-z0-9+.-]*:\/\//i.test(clean)) clean = new URL(clean).pathname;
	clean = clean.replace(/\/+$/, '');
	const stem = baseName(clean).replace(/\.json$/i, '');
	const name = stem.toLowerCase() === 'model' ? baseName(folderOf(clean)) : stem;
	try {
		return decodeURIComponent(name) || 'model';
	} catch {
		return name || 'model';
	}
}

/** The output field's text as tensor names: "a, b:1 ,, c" -> ["a", "b:1", "c"]. */
export function parseOutputNames(text: string): string[] {
	return text
		.split(/[,\s]+/)
		.map((name) => name.trim())
		.filter((name) => name.length > 0);
}
