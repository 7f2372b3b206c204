"""A small HTML form reader for the simulated users: they fill in the forms the app serves, with
the CSRF token and the hidden fields (versions, duplicate confirmations) it put there, as a
browser would. Standard library only."""
from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Form:
    action: str
    method: str
    fields: dict = field(default_factory=dict)     # name -> value (hidden, text, checked, selected)
    options: dict = field(default_factory=dict)    # select/radio/checkbox -> [(value, label)]
    buttons: list = field(default_factory=list)    # (name, value) of named submit buttons

    def data(self, **values):
        """The form's own values (CSRF token included) with `values` filled in."""
        data = dict(self.fields)
        data.update(values)
        return data


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self._form, self._select, self._option, self._label = [], None, None, None, None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = Form(a.get("action", ""), a.get("method", "get").lower())
            self.forms.append(self._form)
            return
        form = self._form
        if form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                form.options.setdefault(name, []).append((a.get("value", "on"), ""))
                if "checked" in a:
                    if kind == "checkbox" and name in form.fields:
                        current = form.fields[name]
                        form.fields[name] = (current if isinstance(current, list) else [current]) \
                            + [a.get("value", "on")]
                    else:
                        form.fields[name] = a.get("value", "on")
            elif kind == "submit":
                form.buttons.append((name, a.get("value", "")))
            else:
                form.fields[name] = a.get("value", "")
        elif tag == "button" and name:
            form.buttons.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self._select = name
            form.options[name] = []
        elif tag == "option" and self._select:
            self._option = a.get("value")
            self._label = ""
            if "selected" in a:
                form.fields[self._select] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            form.fields[name] = ""

    def handle_data(self, data):
        if self._option is not None:
            self._label += data
        elif self._textarea and self._form is not None:
            self._form.fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "option" and self._select and self._option is not None:
            self._form.options[self._select].append((self._option, self._label.strip()))
            if self._select not in self._form.fields:  # the browser's default: the first option
                self._form.fields[self._select] = self._option
            self._option = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            value = self._form.fields[self._textarea]  # a browser drops the first newline
            self._form.fields[self._textarea] = value[2:] if value.startswith("\r\n") \
                else value[1:] if value.startswith("\n") else value
            self._textarea = None


def forms(html):
    reader = _Reader()
    reader.feed(html)
    return reader.forms


def form_for(html, action_contains=None, has_field=None):
    """The first POST form whose action contains `action_contains` and that has `has_field`."""
    for form in forms(html):
        if form.method != "post":
            continue
        if action_contains is not None and action_contains not in form.action:
            continue
        if has_field is not None and has_field not in form.fields and has_field not in form.options:
            continue
        return form
    return None
