"""Locust journeys for `make loadtest` (run by loadtest/run.py; see bench/loadtest.md).

Three kinds of simulated users, each signed in with a demo login through the real login form:

- caseworkers register a person (the duplicate check included: now and then the phone number is
  one the same user already registered, for a household sharing a phone, so the app answers 409
  with the candidates and the user confirms "not a duplicate"), record the consent to share with
  a kind of service, then refer the person to a suggested service; or they look up one of their
  earlier cases by case number and add a note;
- providers work through their inbox: accept or decline new referrals, start the service, record
  the outcome;
- supervisors read the dashboard, its report, the overdue worklists and the referral lists.

Every POST carries the CSRF token scraped from the form the app served. Every write the app
confirmed (redirect to the new record) is logged with the id taken from the response, and
written as JSON to $LOADTEST_WRITES when the test stops, for run.py to compare with the database.
Simulated users of one login share its inbox or caseload: providers split the inbox between
them by referral id, so that two of them never answer the same referral.
"""
import itertools
import json
import os
import random
import re
import sys
import time
import uuid
from urllib.parse import urlencode

import gevent
from locust import FastHttpUser, between, events, task

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from htmlforms import form_for  # noqa: E402

PASSWORD = os.environ.get("ICRS_DEMO_PASSWORD", "icrs-demo-2025")
THINK = (float(os.environ.get("LOADTEST_THINK_MIN", "1")),
         float(os.environ.get("LOADTEST_THINK_MAX", "3")))

# Caseworker logins, and the kind of service (and provider organisation) their people go to.
EN, NW_SW = ("vocational_training", "Centre de Formation aux Métiers de Maroua"), \
    ("mhpss", "Bamenda Psychosocial Support Network")
CASEWORKERS = [("caseworker", EN), ("caseworker.mora", EN), ("caseworker.nw", NW_SW),
               ("caseworker.sw", NW_SW), ("caseworker.mokolo", EN), ("caseworker.kumbo", NW_SW),
               ("caseworker.kumba", NW_SW)]
PROVIDERS = ["provider", "provider2"]
SUPERVISORS = ["supervisor", "supervisor.national"]

WRITES = []  # every write the app confirmed, with the ids it returned
SAMPLES = []  # every request: exact percentiles in run.py (locust's own are rounded)
UUID_RE = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def log_write(kind, **data):
    WRITES.append({"kind": kind, **data})


@events.request.add_listener
def _sample(request_type, name, response_time, response, exception, start_time=None, **_kw):
    SAMPLES.append({"method": request_type, "name": name, "ms": response_time,
                    "ok": exception is None, "error": None if exception is None else str(exception),
                    "status": getattr(response, "status_code", None),
                    "start": start_time, "end": time.time()})


@events.test_stop.add_listener
def _save(**_kwargs):
    for variable, data in (("LOADTEST_WRITES", WRITES), ("LOADTEST_SAMPLES", {
            "samples": SAMPLES, "duration": (max(s["end"] for s in SAMPLES)
                                             - min(s["start"] for s in SAMPLES))
            if SAMPLES else 1})):
        path = os.environ.get(variable)
        if path:
            with open(path, "w", encoding="utf-8") as out:
                json.dump(data, out)


def think():
    gevent.sleep(random.uniform(*THINK))


class JourneyFailed(Exception):
    """A step did not get the page it needed; the response is already marked as failed."""


class IcrsUser(FastHttpUser):
    abstract = True
    wait_time = between(*THINK)
    login = None

    # --- requests -------------------------------------------------------------------------------
    def page(self, path, name=None, expect=(200,)):
        """GET a page; anything but `expect` fails the request (and the journey)."""
        with self.client.get(path, name=name or path, catch_response=True,
                             allow_redirects=False) as resp:
            return self._check(resp, expect, f"GET {name or path}")

    def submit(self, form, data, name, expect=(302,)):
        """POST a form the app served (its CSRF token and hidden fields included)."""
        if form is None:
            raise JourneyFailed(f"{name}: the page has no such form")
        body = urlencode(data, doseq=True).encode()  # repeated keys for checkboxes, as a browser
        with self.client.post(form.action or self._last_path, data=body, name=name,
                              headers={"Content-Type": "application/x-www-form-urlencoded"},
                              catch_response=True, allow_redirects=False) as resp:
            return self._check(resp, expect, f"POST {name}")

    @staticmethod
    def _check(resp, expect, what):
        if resp.status_code in expect:
            resp.success()  # 409 is an expected answer where listed (duplicate, service full)
            return resp
        resp.failure(f"{what}: {resp.status_code}")
        raise JourneyFailed(what)

    def follow(self, resp, name):
        location = resp.headers.get("Location", "")
        path = re.sub(r"^https?://[^/]+", "", location)
        return path, self.page(path, name=name)

    def on_start(self):
        self._last_path = "/login"
        resp = self.page("/login")
        form = form_for(resp.text, has_field="username")
        resp = self.submit(form, form.data(username=self.login, password=PASSWORD), "/login")
        if "/login" in resp.headers.get("Location", ""):
            raise JourneyFailed("login refused")


def _pick(counter_name, cls):
    """Give each simulated user of a class its own index (deterministic partitions)."""
    counter = cls.__dict__.get(counter_name)
    if counter is None:
        counter = itertools.count()
        setattr(cls, counter_name, counter)
    return next(counter)


class Caseworker(IcrsUser):
    fixed_count = int(os.environ.get("LOADTEST_CASEWORKERS", "26"))

    def on_start(self):
        index = _pick("_counter", Caseworker)
        self.login, (self.category, self.organisation) = CASEWORKERS[index % len(CASEWORKERS)]
        self.cases, self.phones = [], []
        super().on_start()

    @task(7)
    def register_and_refer(self):
        try:
            person_id = self._register()
            think()
            self._consent(person_id)
            think()
            self._refer(person_id)
        except JourneyFailed:
            pass

    @task(3)
    def look_up_and_note(self):
        if not self.cases:
            return self.register_and_refer()
        person_id, case_number = random.choice(self.cases)
        try:
            self.page("/people/", name="/people/ [list]")
            think()
            self.page(f"/people/?kind=case&q={case_number}", name="/people/ [search]")
            think()
            self._last_path = f"/people/{person_id}"
            resp = self.page(self._last_path, name="/people/<id>")
            think()
            form = form_for(resp.text, "/notes")
            resp = self.submit(form, form.data(**{"note-text": "Visite de suivi : "
                                                  + uuid.uuid4().hex}),
                               "/people/<id>/notes")
            log_write("note", person=person_id)
            self.follow(resp, "/people/<id>")
        except JourneyFailed:
            pass

    def _register(self):
        self._last_path = "/people/new"
        resp = self.page("/people/new")
        form = form_for(resp.text, has_field="first_name")
        tag = uuid.uuid4().hex[:10]
        shared_phone = self.phones and random.random() < 0.2
        phone = random.choice(self.phones) if shared_phone else \
            "6" + "".join(random.choices("0123456789", k=8))
        sex = random.choice(["female", "male"])
        data = form.data(first_name=f"Charge{tag}", last_name=random.choice(
            ["Abakar", "Ngwa", "Moussa", "Tabi", "Oumarou", "Ebot"]), sex=sex,
            estimated_age=str(random.randint(19, 34)),
            category="adult_woman" if sex == "female" else "adult_man",
            languages=["fr", "ff"] if self.category == EN[0] else ["en", "wes"],
            phone=phone, id_number=f"LT-{tag}", address="Quartier test")
        resp = self.submit(form, data, "/people/new", expect=(302, 409))
        confirmed = []
        if resp.status_code == 409:  # possible duplicate: check the list, confirm someone else
            think()
            form = form_for(resp.text, has_field="not_duplicate_of")
            confirmed = [c for c in form.fields["not_duplicate_of"].split(",") if c]
            if not confirmed or ("confirm", "1") not in form.buttons:
                resp.failure("409 without duplicate candidates to confirm")
                raise JourneyFailed("duplicate step")
            resp = self.submit(form, form.data(confirm="1"), "/people/new [confirm]")
        path, page = self.follow(resp, "/people/<id>")
        person_id = re.search(UUID_RE, path).group(0)
        case = re.search(r"<h1>([A-Z]{2}-[A-Z]{3}-\d{4}-\d{5}) ", page.text)
        case_number = case.group(1) if case else None
        log_write("person", id=person_id, case_number=case_number, login=self.login,
                  not_duplicate_of=confirmed)
        self.cases.append((person_id, case_number))
        self.phones.append(phone)
        self._last_path, self._detail = path, page.text
        return person_id

    def _consent(self, person_id):
        form = form_for(self._detail, "/consent")
        resp = self.submit(form, form.data(**{"consent-purpose": "sharing",
                                              "consent-service_category": self.category,
                                              "consent-method": "signed"}),
                           "/people/<id>/consent")
        log_write("consent", person=person_id, category=self.category)
        self.follow(resp, "/people/<id>")

    def _refer(self, person_id):
        self._last_path = f"/referrals/new/{person_id}"
        resp = self.page(self._last_path, name="/referrals/new/<id>")
        form = form_for(resp.text, "/referrals/new")
        # The suggestions' "Choose" links: eligible services the consent covers.
        chosen = re.findall(r"service_id=(" + UUID_RE + ")", resp.text)
        labels = dict(form.options.get("service_id", []))
        ours = [s for s in chosen if labels.get(s, "").endswith(self.organisation)]
        if not (ours or chosen):
            resp.failure("no service to choose")
            raise JourneyFailed("no service")
        service_id = random.choice(ours or chosen)
        think()
        resp = self.submit(form, form.data(service_id=service_id, priority=random.choice(
            ["normal", "normal", "urgent"]), reason="Orientation dans le cadre du plan de "
            "réintégration.", needs="Inscription à la prochaine session."),
            "/referrals/new/<id>")
        path, _ = self.follow(resp, "/referrals/<id>")
        log_write("referral", id=re.search(UUID_RE, path).group(0), person=person_id,
                  service=service_id, status="sent")


class Provider(IcrsUser):
    fixed_count = int(os.environ.get("LOADTEST_PROVIDERS", "14"))

    def on_start(self):
        index = _pick("_counter", Provider)
        self.login = PROVIDERS[index % len(PROVIDERS)]
        # The users of one login split its inbox by referral id: nobody answers twice.
        per_login = -(-self.fixed_count // len(PROVIDERS))
        self.slot, self.slots = index // len(PROVIDERS), per_login
        super().on_start()

    def _mine(self, html):
        ids = dict.fromkeys(re.findall(r'href="/referrals/received/(' + UUID_RE + ')"', html))
        return [i for i in ids if uuid.UUID(i).int % self.slots == self.slot]

    def _open(self, status):
        resp = self.page(f"/referrals/inbox?status={status}", name=f"/referrals/inbox [{status}]")
        mine = self._mine(resp.text)
        if not mine:
            return None, None
        think()
        referral_id = random.choice(mine)
        self._last_path = f"/referrals/received/{referral_id}"
        return referral_id, self.page(self._last_path, name="/referrals/received/<id>")

    @task(5)
    def answer_new(self):
        try:
            referral_id, resp = self._open("sent")
            if referral_id is None:
                return
            think()
            if random.random() < 0.75:
                form = form_for(resp.text, "/accept")
                resp = self.submit(form, form.data(), "/referrals/received/<id>/accept",
                                   expect=(302, 409))
                if resp.status_code == 302:
                    log_write("answer", id=referral_id, status="accepted")
                    return self.follow(resp, "/referrals/received/<id>")
                # 409: the service has no open place left; the page says so. Decline instead.
                log_write("accept_refused_full", id=referral_id)
            form = form_for(resp.text, "/decline")
            reason = "no_capacity" if resp.status_code == 409 else random.choice(
                ["not_eligible", "unable_to_contact", "no_capacity"])
            resp = self.submit(form, form.data(**{"dec-reason": reason}),
                               "/referrals/received/<id>/decline")
            log_write("answer", id=referral_id, status="declined")
            self.follow(resp, "/referrals/received/<id>")
        except JourneyFailed:
            pass

    @task(3)
    def start_service(self):
        try:
            referral_id, resp = self._open("accepted")
            if referral_id is None:
                return
            think()
            form = form_for(resp.text, "/progress")
            resp = self.submit(form, form.data(**{"prog-target": "in_service"}),
                               "/referrals/received/<id>/progress")
            log_write("answer", id=referral_id, status="in_service")
            self.follow(resp, "/referrals/received/<id>")
        except JourneyFailed:
            pass

    @task(2)
    def record_outcome(self):
        try:
            referral_id, resp = self._open("in_service")
            if referral_id is None:
                return
            think()
            form = form_for(resp.text, "/outcome")
            done = random.random() < 0.8
            resp = self.submit(form, form.data(**{
                "out-target": "completed" if done else "not_completed",
                "out-outcome": "served" if done else "no_show"}),
                "/referrals/received/<id>/outcome")
            log_write("answer", id=referral_id, status="completed" if done else "not_completed")
            self.follow(resp, "/referrals/received/<id>")
        except JourneyFailed:
            pass

    @task(1)
    def notifications(self):
        try:
            self.page("/referrals/notifications")
        except JourneyFailed:
            pass


class Supervisor(IcrsUser):
    fixed_count = int(os.environ.get("LOADTEST_SUPERVISORS", "10"))

    def on_start(self):
        self.login = SUPERVISORS[_pick("_counter", Supervisor) % len(SUPERVISORS)]
        super().on_start()

    @task(4)
    def dashboard(self):
        try:
            self.page("/dashboard/")
            think()
            self.page("/dashboard/overdue/referrals", name="/dashboard/overdue/<kind>")
        except JourneyFailed:
            pass

    @task(1)
    def report(self):
        try:
            self.page("/dashboard/report")
        except JourneyFailed:
            pass

    @task(2)
    def referral_lists(self):
        try:
            self.page("/referrals/", name="/referrals/ [list]")
            think()
            self.page("/referrals/overdue")
            think()
            self.page("/people/?sort=-registered", name="/people/ [list]")
        except JourneyFailed:
            pass
