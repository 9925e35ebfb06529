/**
 * Which catalog model a task starts on. Catalog order is build order (the spam filter needs the
 * GloVe embedder built before it), which is not the order of quality: where a task has a clearly
 * better model, it leads, and the others follow in catalog order.
 */
import type { ModelManifest, TaskKind } from './manifest';

/** USE-lite reads whole sentences, word order included; GloVe averages word vectors. */
const PREFERRED: Partial<Record<TaskKind, string>> = { embeddings: 'use-lite' };

/** The models that do `task`, the preferred one first. */
export function modelsForTask(models: readonly ModelManifest[], task: TaskKind): ModelManifest[] {
	const preferred = PREFERRED[task];
	return models
		.filter((model) => model.task === task)
		.sort((a, b) => Number(b.id === preferred) - Number(a.id === preferred));
}

/** The model a task starts on when none is named, if any model does it. */
export function defaultModelForTask(
	models: readonly ModelManifest[],
	task: TaskKind
): ModelManifest | undefined {
	return modelsForTask(models, task)[0];
}
