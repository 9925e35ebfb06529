/** The tasks on the Run page, in the order shown. Each task page adds its entry here. */
import type { TaskKind } from '$lib/catalog/manifest';

export interface TaskEntry {
	path:
		| '/run/digits'
		| '/run/search'
		| '/run/ocr'
		| '/run/vad'
		| '/run/spam'
		| '/run/pose'
		| '/run/face'
		| '/run/moderation'
		| '/run/detection'
		| '/run/segmentation';
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
	},
	{
		path: '/run/search',
		title: 'Text similarity and search',
		summary: 'Compare two texts, or search a collection by meaning, with a sentence embedder.',
		modelTask: 'embeddings'
	},
	{
		path: '/run/ocr',
		title: 'Read text (OCR)',
		summary: 'Read printed text from a picture, a paste, a drop or the camera; copy it all.',
		modelTask: 'ocr'
	},
	{
		path: '/run/vad',
		title: 'Voice activity',
		summary: 'Find speech in a recording or live from the microphone; play each segment.',
		modelTask: 'vad'
	},
	{
		path: '/run/spam',
		title: 'Spam filter',
		summary: 'Tell spam from ordinary email, or run a text classifier you trained.',
		modelTask: 'classification'
	},
	{
		path: '/run/pose',
		title: 'Body pose',
		summary: 'Find 17 body keypoints and the skeleton in a picture or live from the camera.',
		modelTask: 'pose'
	},
	{
		path: '/run/face',
		title: 'Face detection',
		summary: 'Find faces and their eyes, nose, mouth and ears in a picture or live.',
		modelTask: 'face'
	},
	{
		path: '/run/moderation',
		title: 'Image moderation',
		summary: 'Check whether a picture is safe to show: drawing, neutral, sexy, porn or hentai.',
		modelTask: 'moderation'
	},
	{
		path: '/run/detection',
		title: 'Object detection',
		summary: 'Find and box everyday objects (80 COCO classes) in a picture or live.',
		modelTask: 'detection'
	},
	{
		path: '/run/segmentation',
		title: 'Person segmentation',
		summary: 'Cut people out of a picture: blur or replace the background and download it.',
		modelTask: 'segmentation'
	}
];
