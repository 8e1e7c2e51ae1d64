import MarkdownIt from 'markdown-it';

// Task output is text a model wrote, so it is treated as hostile: markdown-it with `html: false`
// escapes every HTML tag in it, and its link validation refuses javascript:, vbscript:, file:
// and data: URLs. Images are turned off so an output cannot make the browser fetch anything
// (the page's CSP would refuse it anyway); `breaks` keeps the writer's line breaks.
const markdown = new MarkdownIt({ html: false, linkify: false, breaks: true, typographer: false });
markdown.disable('image');

const defaultLinkOpen = markdown.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
markdown.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const token = tokens[idx]!;
  token.attrSet('rel', 'noopener noreferrer nofollow');
  token.attrSet('target', '_blank');
  return defaultLinkOpen(tokens, idx, options, env, self);
};

// The page enforces Trusted Types (see the coordinator's CSP): this policy is the only way to
// put HTML into the page, and it only ever receives markdown-it's escaped rendering.
const policy = window.trustedTypes?.createPolicy('taskproc-markdown', { createHTML: (html) => html });

/** The HTML of `text` rendered as markdown, safe to set as innerHTML. */
export function markdownHtml(text: string): string {
  const html = markdown.render(text);
  // Preact assigns the value to innerHTML as it is; typed as string because Preact's JSX is.
  return (policy ? policy.createHTML(html) : html) as unknown as string;
}
