/**
 * The widget's options, from its URL's query (pure): which model to show and preload, how it
 * looks, and whether it shows anything at all. Unknown values fall back to defaults, and the
 * widget says so in its status notes rather than failing to start.
 */
import type { Catalog, ModelManifest, TaskKind } from '$lib/catalog/manifest';
import { defaultModelForTask } from '$lib/catalog/task-models';
import type { BackendPreference } from '$lib/runtime/protocol';

export type WidgetTheme = 'auto' | 'light' | 'dark';

export interface WidgetOptions {
	/** The model to load at start; null: none until the host asks. */
	model: string | null;
	variant: string | null;
	backend: BackendPreference;
	theme: WidgetTheme;
	/** One line instead of the panel. */
	compact: boolean;
	/** No visible UI: the host uses the API only. */
	headless: boolean;
	/** What did not parse, for the status notes. */
	notes: string[];
}

const TASKS: readonly TaskKind[] = [
	'ocr',
	'vad',
	'embeddings',
	'digits',
	'classification',
	'custom'
];
const THEMES: readonly WidgetTheme[] = ['auto', 'light', 'dark'];
const BACKENDS: readonly BackendPreference[] = ['auto', 'webgpu', 'wasm'];

/** "1", "true", "yes" or a bare flag ("?headless") are on. */
function flag(query: URLSearchParams, name: string): boolean {
	const value = query.get(name);
	return value !== null && ['', '1', 'true', 'yes'].includes(value.toLowerCase());
}

export function parseWidgetOptions(query: URLSearchParams, catalog: Catalog): WidgetOptions {
	const notes: string[] = [];
	const pick = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
		const value = query.get(name);
		if (value === null) return fallback;
		if ((allowed as readonly string[]).includes(value)) return value as T;
		notes.push(`Ignored ${name}=${value}: use one of ${allowed.join(', ')}.`);
		return fallback;
	};

	let model: ModelManifest | undefined;
	const modelId = query.get('model');
	if (modelId !== null) {
		model = catalog.models.find((candidate) => candidate.id === modelId);
		if (!model) notes.push(`There is no model "${modelId}" in this site's catalog.`);
	}
	const task = query.get('task');
	if (task !== null && !model) {
		if (!(TASKS as readonly string[]).includes(task)) {
			notes.push(`Ignored task=${task}: use one of ${TASKS.join(', ')}.`);
		} else {
			model = defaultModelForTask(catalog.models, task as TaskKind);
			if (!model) notes.push(`No model in this site's catalog does the ${task} task.`);
		}
	}
	let variant = query.get('variant');
	if (variant !== null && model && !model.variants.some((v) => v.id === variant)) {
		notes.push(`${model.id} has no variant "${variant}"; using ${model.variants[0]!.id}.`);
		variant = null;
	}
	return {
		model: model?.id ?? null,
		variant: model ? variant : null,
		backend: pick('backend', BACKENDS, 'auto'),
		theme: pick('theme', THEMES, 'auto'),
		compact: flag(query, 'compact'),
		headless: flag(query, 'headless'),
		notes
	};
}
