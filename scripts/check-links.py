#!/usr/bin/env python3
"""Check that every Markdown link in the given files stays in the repository and resolves.

Inline links [text](target) and images, autolinks <…>, bare http(s) URLs and DocC <doc:Name> links are
checked outside fenced code blocks and code spans. A target must be relative, must resolve to a file or
directory inside the repository, and an #anchor must be a GitHub-style heading anchor of the target file.
"""
import os, re, sys

ROOT = os.path.realpath(sys.argv[1])
files = sys.argv[2:]
errors, checked = [], 0

def strip_code(text):
    out, fence = [], None
    for line in text.split('\n'):
        m = re.match(r'^\s*(```+|~~~+)', line)
        if m:
            tok = m.group(1)[0] * 3
            if fence is None:
                fence = tok
            elif tok == fence:
                fence = None
            out.append('')
            continue
        out.append('' if fence else re.sub(r'`[^`\n]*`', lambda m: ' ' * len(m.group(0)), line))
    return out

def slug(heading):
    s = re.sub(r'`', '', heading.strip()).lower()
    s = re.sub(r'[^\w\- ]', '', s)  # GitHub drops punctuation, keeps letters, digits, _ and -
    return s.replace(' ', '-')

def anchors(path):
    seen, result = {}, set()
    with open(path, encoding='utf-8') as f:
        for line in strip_code_keep_headings(f.read()):
            m = re.match(r'^(#{1,6})\s+(.*?)\s*#*\s*$', line)
            if m:
                base = slug(m.group(2))
                n = seen.get(base, 0)
                result.add(base if n == 0 else f'{base}-{n}')
                seen[base] = n + 1
    return result

def strip_code_keep_headings(text):
    out, fence = [], None
    for line in text.split('\n'):
        m = re.match(r'^\s*(```+|~~~+)', line)
        if m:
            tok = m.group(1)[0] * 3
            fence = tok if fence is None else (None if tok == fence else fence)
            out.append(''); continue
        out.append('' if fence else line)
    return out

for f in files:
    here = os.path.dirname(os.path.realpath(f))
    lines = strip_code(open(f, encoding='utf-8').read())
    for n, line in enumerate(lines, 1):
        where = f'{f}:{n}'
        targets = re.findall(r'!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)', line)
        for url in re.findall(r'(?<!\()\bhttps?://[^\s)>\]]+', line):
            errors.append(f'{where}: absolute URL {url}')
        for auto in re.findall(r'<([a-z]+:[^>\s]+)>', line):
            if auto.startswith('doc:'):
                name = auto[4:].split('#')[0]
                catalogue = here
                checked += 1
                if not catalogue.endswith('.docc'):
                    errors.append(f'{where}: <doc:{name}> outside a .docc catalogue')
                elif not os.path.isfile(os.path.join(catalogue, name + '.md')):
                    errors.append(f'{where}: <doc:{name}>: no {name}.md in {os.path.relpath(catalogue, ROOT)}')
            else:
                errors.append(f'{where}: autolink leaves the repository: <{auto}>')
        for t in targets:
            checked += 1
            if re.match(r'^[a-z][a-z0-9+.-]*:', t, re.I) or t.startswith('/') or t.startswith('//'):
                errors.append(f'{where}: not a relative link: {t}'); continue
            path, _, anchor = t.partition('#')
            target = os.path.realpath(os.path.join(here, path)) if path else os.path.realpath(f)
            if not (target == ROOT or target.startswith(ROOT + os.sep)):
                errors.append(f'{where}: leaves the repository: {t}'); continue
            if not os.path.exists(target):
                errors.append(f'{where}: no such file: {t}'); continue
            if anchor:
                if not target.endswith('.md'):
                    errors.append(f'{where}: anchor on a non-Markdown file: {t}')
                elif anchor not in anchors(target):
                    errors.append(f'{where}: no heading #{anchor} in {os.path.relpath(target, ROOT)}')

for e in errors:
    print('FAIL', e)
print(f'{len(files)} files, {checked} links checked, {len(errors)} problems')
sys.exit(1 if errors else 0)
