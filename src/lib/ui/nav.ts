/** The site's sections, in navigation order. Pages join this list as they land. */
export interface NavItem {
	path: '/' | '/models' | '/run' | '/train' | '/monitor' | '/docs';
	label: string;
}

export const NAV_ITEMS: NavItem[] = [
	{ path: '/', label: 'Home' },
	{ path: '/models', label: 'Models' },
	{ path: '/run', label: 'Run' },
	{ path: '/train', label: 'Train' },
	{ path: '/monitor', label: 'Monitor' },
	{ path: '/docs', label: 'Docs' }
];
