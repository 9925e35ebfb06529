/** The tasks on the Run page, in the order shown. Each task page adds its entry here. */
import type { TaskKind } from '$lib/catalog/manifest';

export interface TaskEntry {
	path: '/run/digits';
	title: string;
	summary: string;
	/** The catalog task whose models can run it. */
	modelTask: TaskKind;
}

export const TASKS: TaskEntry[] = [
	{
		path: '/run/digits',
		title: 'Handwritten digits',
		summary: 'Draw a digit with a mouse, a finger or a pen; see the probabilities live.',
		modelTask: 'digits'
	}
];
