// Every page is prerendered into static HTML; the app then runs entirely in the browser.
export const prerender = true;
export const trailingSlash = 'never';
