import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSpamEmails } from '../../../../scripts/datasets/spam-emails';
import { NodeTaskContext } from '../../../../tests/support/node-task-context';
import { classifyTexts, parseLabels } from './pipeline';

describe('classifyTexts on the catalog spam filter', () => {
	let ctx: NodeTaskContext;
	beforeAll(async () => {
		ctx = await NodeTaskContext.forCatalogModel('spam-classifier');
	});
	afterAll(() => ctx.release());

	it('tells obvious spam from an ordinary email', async () => {
		const { predictions, classNames } = await classifyTexts(
			{
				texts: [
					'FREE money!!! Click here to claim your prize, limited offer, order now and save 90% on viagra',
					'Re: patch for the build script\nThanks, I tested your patch on my machine and the tests pass. I will merge it tomorrow.'
				]
			},
			ctx
		);
		expect(classNames).toEqual(['ham', 'spam']);
		expect(predictions.map((p) => p.label)).toEqual(['spam', 'ham']);
		for (const prediction of predictions) {
			expect(prediction.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
		}
		expect(ctx.timings.inferenceMs).toBeGreaterThan(0);
	});

	it('agrees with the labels on most SpamAssassin emails', async () => {
		const emails = readSpamEmails();
		// Every 25th email: about 235 of both classes.
		const picked = emails.texts.map((_, i) => i).filter((i) => i % 25 === 0);
		const { predictions } = await classifyTexts(
			{ texts: picked.map((i) => emails.texts[i]!) },
			ctx
		);
		const correct = predictions.filter(
			(p, k) => p.label === emails.classNames[emails.labels[picked[k]!]!]
		);
		expect(correct.length / picked.length).toBeGreaterThan(0.9);
	});

	it('refuses an empty text, and says when a text had no known word', async () => {
		await expect(classifyTexts({ texts: ['  '] }, ctx)).rejects.toMatchObject({
			code: 'empty-text'
		});
		const { predictions } = await classifyTexts({ texts: ['zzqxv qqwweerr'] }, ctx);
		expect(predictions[0]!.noKnownWords).toBe(true);
	});
});

describe('parseLabels', () => {
	it('reads class names and refuses anything else', () => {
		const bytes = (text: string) => new TextEncoder().encode(text);
		expect(parseLabels(bytes('{"classNames":["a","b"]}'))).toEqual(['a', 'b']);
		expect(() => parseLabels(bytes('nope'))).toThrow(/not JSON/);
		expect(() => parseLabels(bytes('{"classNames":["a"]}'))).toThrow(/at least two/);
	});
});
