#!/usr/bin/python3
"""An outside client: discovers the rectify API by gRPC server reflection only.

Usage: /usr/bin/python3 tests/e2e/reflection_client.py <rectify-server> <data-dir>

Nothing generated from this project's .proto files is used. The only generated
code is grpc.reflection.v1alpha (compiled from /usr/share/grpc-proto into a temp
folder at run time); every rectify message class is built from the descriptors
the server hands out over reflection.

It starts the server on a fresh database with --demo, then:
  * lists the services and loads their file descriptors (and dependencies),
  * checks authentication (no token / a bad token -> UNAUTHENTICATED),
  * takes a task open -> dispatched -> accepted -> in progress -> submitted ->
    closed, as the street office and the property company by turns,
  * checks the task's history, and that the property company may not verify
    its own submitted work (PERMISSION_DENIED).
Exits 0 on success; the last line is "reflection client: N passed, M failed".
"""

import hashlib
import importlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import uuid

try:
    import grpc
    from google.protobuf import descriptor_pb2
    from google.protobuf import descriptor_pool
    from google.protobuf import json_format
    from google.protobuf import message_factory
except ImportError as e:  # run with the wrong interpreter
    print("FAIL: %s: %s needs grpc and protobuf (on Debian: /usr/bin/python3 with "
          "python3-grpcio, python3-grpc-tools, python3-protobuf, grpc-proto)"
          % (e, sys.executable))
    print("reflection client: 0 passed, 1 failed")
    sys.exit(1)

REFLECTION_PROTO_DIR = "/usr/share/grpc-proto/grpc/reflection/v1alpha"
RPC_TIMEOUT = 15  # seconds, per call
START_TIMEOUT = 60  # seconds for the server to write its port

TOKEN_STREET = "demo-street"      # li-min, street officer of so-xingfu
TOKEN_PROPERTY = "demo-property"  # zhang-wei, head of pc-tahe


class Failure(Exception):
    """A check that did not hold; the message says what was expected."""


def log(msg):
    print(msg, flush=True)


def check(cond, msg):
    if not cond:
        raise Failure(msg)


def check_eq(got, want, what):
    if got != want:
        raise Failure("%s: got %r, want %r" % (what, got, want))


# --------------------------------------------------------------------------
# The server process.

class Server:
    def __init__(self, binary, data_dir, workdir):
        self.binary = binary
        self.data_dir = data_dir
        self.workdir = workdir
        self.proc = None
        self.port = None
        self.log_path = os.path.join(workdir, "server.log")

    def start(self):
        port_file = os.path.join(self.workdir, "port")
        args = [
            self.binary,
            "--listen=127.0.0.1:0",
            "--db=" + os.path.join(self.workdir, "rectify.db"),
            "--port_file=" + port_file,
            "--data_dir=" + self.data_dir,
            "--demo",
        ]
        log("starting: " + " ".join(args))
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(args, stdout=self._log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, cwd=self.workdir)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise Failure("rectify-server exited with status %d before serving"
                              % self.proc.returncode)
            try:
                with open(port_file) as f:
                    text = f.read()
            except FileNotFoundError:
                text = ""
            # The file is written in one go but not atomically: wait for the newline.
            if text.endswith("\n") and text.strip().isdigit():
                self.port = int(text.strip())
                check(0 < self.port < 65536, "port file holds %r" % text)
                log("server pid %d serving on 127.0.0.1:%d" % (self.proc.pid, self.port))
                return
            time.sleep(0.05)
        raise Failure("rectify-server wrote no port to %s within %ds" % (port_file, START_TIMEOUT))

    def stop(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.terminate()  # graceful: SIGTERM
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                log("server did not stop on SIGTERM within 15s; killing it")
                self.proc.kill()
                self.proc.wait()
        log("server stopped (exit status %s)" % self.proc.returncode)
        self._log.close()
        self.proc = None

    def log_tail(self, lines=40):
        try:
            with open(self.log_path, "rb") as f:
                text = f.read().decode("utf-8", "replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


# --------------------------------------------------------------------------
# Reflection.

def load_reflection_stubs(workdir):
    """Compiles grpc.reflection.v1alpha into workdir and imports it."""
    from grpc_tools import protoc
    out = os.path.join(workdir, "gen")
    os.makedirs(out)
    # Compiled from its own folder so the modules are top-level
    # (reflection_pb2), not under the installed "grpc" package.
    well_known = os.path.join(os.path.dirname(protoc.__file__), "_proto")
    rc = protoc.main(["protoc", "-I" + REFLECTION_PROTO_DIR, "-I" + well_known,
                      "--python_out=" + out, "--grpc_python_out=" + out,
                      os.path.join(REFLECTION_PROTO_DIR, "reflection.proto")])
    check(rc == 0, "protoc failed (%d) on %s/reflection.proto" % (rc, REFLECTION_PROTO_DIR))
    sys.path.insert(0, out)
    pb2 = importlib.import_module("reflection_pb2")
    pb2_grpc = importlib.import_module("reflection_pb2_grpc")
    return pb2, pb2_grpc


class Reflection:
    def __init__(self, channel, pb2, pb2_grpc, metadata):
        self.pb2 = pb2
        self.stub = pb2_grpc.ServerReflectionStub(channel)
        self.metadata = metadata

    def ask(self, **request):
        """Sends one ServerReflectionRequest on a stream; returns the response."""
        req = self.pb2.ServerReflectionRequest(**request)
        responses = list(self.stub.ServerReflectionInfo(iter([req]), timeout=RPC_TIMEOUT,
                                                        metadata=self.metadata))
        check(len(responses) == 1, "reflection answered %d messages to one request"
              % len(responses))
        resp = responses[0]
        if resp.HasField("error_response"):
            raise LookupError("reflection %s: error %d %s" % (
                request, resp.error_response.error_code, resp.error_response.error_message))
        return resp

    def list_services(self):
        resp = self.ask(list_services="")
        return [s.name for s in resp.list_services_response.service]

    def files_for_symbol(self, symbol):
        resp = self.ask(file_containing_symbol=symbol)
        return list(resp.file_descriptor_response.file_descriptor_proto)

    def file_by_name(self, name):
        resp = self.ask(file_by_filename=name)
        return list(resp.file_descriptor_response.file_descriptor_proto)


def default_pool_copy(name):
    """The local protobuf runtime's copy of a well-known .proto, or None."""
    try:
        fd = descriptor_pool.Default().FindFileByName(name)
    except KeyError:
        # Not yet imported: the well-known types live in google.protobuf.*_pb2.
        module = "google.protobuf." + os.path.basename(name)[:-len(".proto")] + "_pb2"
        try:
            fd = importlib.import_module(module).DESCRIPTOR
        except ImportError:
            return None
    fdp = descriptor_pb2.FileDescriptorProto()
    fd.CopyToProto(fdp)
    return fdp


def build_pool(refl, services):
    """Fetches every file the services need; returns a DescriptorPool."""
    files = {}  # name -> FileDescriptorProto
    origin = {}  # name -> "server" | "local"

    def take(serialized_list):
        for blob in serialized_list:
            fdp = descriptor_pb2.FileDescriptorProto.FromString(blob)
            if fdp.name not in files:
                files[fdp.name] = fdp
                origin[fdp.name] = "server"

    for svc in services:
        take(refl.files_for_symbol(svc))
    # Dependencies the server has not sent yet, by name.
    todo = [d for f in list(files.values()) for d in f.dependency]
    while todo:
        name = todo.pop()
        if name in files:
            continue
        try:
            take(refl.file_by_name(name))
        except LookupError as e:
            if not name.startswith("google/protobuf/"):
                raise Failure("reflection cannot give %s: %s" % (name, e))
            fdp = default_pool_copy(name)
            check(fdp is not None, "no descriptor for %s from the server nor locally" % name)
            files[name] = fdp
            origin[name] = "local"
        check(name in files, "asked reflection for %s and got other files: %s"
              % (name, sorted(files)))
        todo.extend(files[name].dependency)

    pool = descriptor_pool.DescriptorPool()
    added = set()

    def add(name, chain=()):
        if name in added:
            return
        check(name not in chain, "import cycle: %s" % " -> ".join(chain + (name,)))
        for dep in files[name].dependency:
            add(dep, chain + (name,))
        pool.Add(files[name])
        added.add(name)

    for name in sorted(files):
        add(name)
    for name in sorted(files):
        log("  descriptor %-40s (%s)" % (name, origin[name]))
    return pool


def message_class(desc):
    if hasattr(message_factory, "GetMessageClass"):  # protobuf >= 4.22
        return message_factory.GetMessageClass(desc)
    return message_factory.MessageFactory(desc.file.pool).GetPrototype(desc)


# --------------------------------------------------------------------------
# Calling the API through the discovered descriptors.

class Api:
    def __init__(self, channel, pool):
        self.channel = channel
        self.pool = pool
        self._callables = {}

    def method(self, full_method):
        """'rectify.v1.TaskService/CreateTask' -> (MethodDescriptor, callable)."""
        if full_method not in self._callables:
            service_name, method_name = full_method.split("/")
            service = self.pool.FindServiceByName(service_name)
            m = service.methods_by_name.get(method_name)
            check(m is not None, "reflection does not advertise %s" % full_method)
            check(not m.client_streaming and not m.server_streaming,
                  "%s is streaming; expected unary" % full_method)
            req_cls = message_class(m.input_type)
            resp_cls = message_class(m.output_type)
            fn = self.channel.unary_unary(
                "/%s/%s" % (service.full_name, m.name),
                request_serializer=lambda msg: msg.SerializeToString(),
                response_deserializer=resp_cls.FromString)
            self._callables[full_method] = (m, req_cls, fn)
        return self._callables[full_method]

    def call(self, full_method, request, token):
        """Calls with `request` (a dict in proto JSON form) as the token's holder."""
        m, req_cls, fn = self.method(full_method)
        req = json_format.ParseDict(request, req_cls())
        metadata = [] if token is None else [("authorization", "Bearer " + token)]
        return fn(req, timeout=RPC_TIMEOUT, metadata=metadata)

    def ok(self, full_method, request, token):
        try:
            return self.call(full_method, request, token)
        except grpc.RpcError as e:
            raise Failure("%s %s as %s: %s %s" % (full_method, request, token, e.code().name,
                                                  e.details()))

    def fails(self, full_method, request, token, code):
        try:
            resp = self.call(full_method, request, token)
        except grpc.RpcError as e:
            if e.code() != code:
                raise Failure("%s as %s: got %s (%s), want %s" % (
                    full_method, token, e.code().name, e.details(), code.name))
            return e.details()
        raise Failure("%s as %s succeeded, want %s; response: %s" % (
            full_method, token, code.name, json_format.MessageToJson(resp)))

    @staticmethod
    def enum_name(msg, field):
        """The name of an enum field's value, from the descriptor."""
        f = msg.DESCRIPTOR.fields_by_name[field]
        check(f.enum_type is not None, "%s.%s is not an enum" % (msg.DESCRIPTOR.full_name, field))
        v = f.enum_type.values_by_number.get(getattr(msg, field))
        return v.name if v is not None else "<unknown %d>" % getattr(msg, field)


# --------------------------------------------------------------------------
# The scenario.

TASKS = "rectify.v1.TaskService/"


def new_id():
    return str(uuid.uuid4())


def transition(api, method, task, token, want_state, want_event, **extra):
    """Runs a TaskChange method with the task's current etag; checks the result."""
    req = {"task_id": task.id, "request_id": new_id(), "etag": task.etag}
    req.update(extra)
    change = api.ok(TASKS + method, req, token)
    state = Api.enum_name(change.task, "state")
    check_eq(state, want_state, "%s: task state" % method)
    check_eq(change.event.type, want_event, "%s: event type" % method)
    check_eq(change.event.subject, "tasks/" + task.id, "%s: event subject" % method)
    check(change.task.etag and change.task.etag != task.etag,
          "%s: etag did not change (%r)" % (method, change.task.etag))
    log("  ok: %-16s as %-14s -> %s (event #%d %s)" % (
        method, token, state, change.event.seq, change.event.type))
    return change


def create_task(api, title):
    task = api.ok(TASKS + "CreateTask", {
        "request_id": new_id(),
        "task": {
            "campaign_id": "demo",
            "community_id": "cm-xingfu",
            "category": "sanitation",
            "title": title,
            "description": "3号楼与4号楼之间的绿化带内有建筑垃圾，需清运。",
            "source": "TASK_SOURCE_INSPECTION",
            "standard_item": "2.1",
        },
    }, TOKEN_STREET)
    check(task.id, "CreateTask returned no id")
    check_eq(Api.enum_name(task, "state"), "TASK_STATE_OPEN", "new task state")
    check_eq(task.title, title, "title (UTF-8 round trip)")
    check_eq(task.street_office_id, "so-xingfu", "street office of cm-xingfu")
    check_eq(task.created_by, "li-min", "created_by")
    check(not task.HasField("deadline"), "an open task must have no deadline set")
    check(not task.HasField("close_time"), "an open task must have no close_time set")
    log("  ok: CreateTask       as %-14s -> %s id=%s title=%s" % (
        TOKEN_STREET, Api.enum_name(task, "state"), task.id, task.title))
    return task


def submit_as_property(api, task, evidence_sha):
    """Dispatch (street) then acknowledge, start, submit (property company)."""
    c = transition(api, "DispatchTask", task, TOKEN_STREET, "TASK_STATE_DISPATCHED",
                   "task.dispatched", responsible_org_id="pc-tahe", note="请三日内清运")
    check_eq(c.task.responsible_org_id, "pc-tahe", "responsible_org_id")
    check_eq(c.task.responsible_person_id, "zhang-wei",
             "responsible_person_id (defaults to the organisation's head)")
    check(c.task.dispatch_time.seconds > 0, "dispatched task has no dispatch_time")
    check(c.task.deadline.seconds > c.task.dispatch_time.seconds,
          "dispatched task's deadline %s is not after its dispatch_time %s"
          % (c.task.deadline.seconds, c.task.dispatch_time.seconds))
    c = transition(api, "AcknowledgeTask", c.task, TOKEN_PROPERTY, "TASK_STATE_ACCEPTED",
                   "task.acknowledged")
    c = transition(api, "StartTask", c.task, TOKEN_PROPERTY, "TASK_STATE_IN_PROGRESS",
                   "task.started")
    c = transition(api, "SubmitTask", c.task, TOKEN_PROPERTY, "TASK_STATE_SUBMITTED",
                   "task.submitted",
                   evidence=[{"uri": "https://evidence.example.cn/%s/after.jpg" % task.id,
                              "sha256": evidence_sha, "note": "清运后照片"}],
                   actual_fen="4500", note="已清运完毕")
    check_eq(len(c.task.evidence), 1, "evidence count after submit")
    check_eq(c.task.evidence[0].sha256, evidence_sha, "evidence sha256")
    check_eq(c.task.evidence[0].added_by, "zhang-wei", "evidence added_by")
    check_eq(c.task.budget.actual_fen, 4500, "budget.actual_fen")
    return c


def run(server_binary, data_dir, workdir):
    server = Server(server_binary, data_dir, workdir)
    try:
        server.start()
        channel = grpc.insecure_channel("127.0.0.1:%d" % server.port)
        try:
            try:
                grpc.channel_ready_future(channel).result(timeout=RPC_TIMEOUT)
            except grpc.FutureTimeoutError:
                raise Failure("cannot connect to 127.0.0.1:%d within %ds"
                              % (server.port, RPC_TIMEOUT))
            scenario(channel, workdir)
        finally:
            channel.close()
    except BaseException:
        tail = server.log_tail()
        if tail:
            log("---- server log (last lines) ----\n" + tail + "\n---- end of server log ----")
        raise
    finally:
        server.stop()


def scenario(channel, workdir):
    # 1. Discovery.
    log("[1] discovering the API by reflection")
    pb2, pb2_grpc = load_reflection_stubs(workdir)
    refl = Reflection(channel, pb2, pb2_grpc, [("authorization", "Bearer " + TOKEN_STREET)])
    services = refl.list_services()
    log("  services: " + ", ".join(sorted(services)))
    for want in ("rectify.v1.TaskService", "rectify.v1.DirectoryService",
                 "rectify.v1.IdentityService"):
        check(want in services, "reflection does not list %s (it lists %s)" % (want, services))
    rectify_services = sorted(s for s in services if s.startswith("rectify.v1."))
    pool = build_pool(refl, rectify_services)
    for name in rectify_services:
        svc = pool.FindServiceByName(name)
        log("  %s: %d methods (%s)" % (name, len(svc.methods),
                                       ", ".join(m.name for m in svc.methods)))
    api = Api(channel, pool)

    # 2. Authentication.
    log("[2] authentication")
    details = api.fails("rectify.v1.IdentityService/WhoAmI", {}, None,
                        grpc.StatusCode.UNAUTHENTICATED)
    log("  ok: WhoAmI without a token -> UNAUTHENTICATED (%s)" % details)
    details = api.fails(TASKS + "ListTasks", {"campaign_id": "demo"}, None,
                        grpc.StatusCode.UNAUTHENTICATED)
    log("  ok: ListTasks without a token -> UNAUTHENTICATED (%s)" % details)
    details = api.fails("rectify.v1.IdentityService/WhoAmI", {}, "not-a-real-token",
                        grpc.StatusCode.UNAUTHENTICATED)
    log("  ok: WhoAmI with an unknown token -> UNAUTHENTICATED (%s)" % details)
    for token, person, org in ((TOKEN_STREET, "li-min", "so-xingfu"),
                               (TOKEN_PROPERTY, "zhang-wei", "pc-tahe")):
        me = api.ok("rectify.v1.IdentityService/WhoAmI", {}, token)
        check_eq((me.person.id, me.organisation.id), (person, org), "WhoAmI as " + token)
        log("  ok: WhoAmI as %-14s -> %s (%s, %s of %s)" % (
            token, me.person.id, me.person.name, Api.enum_name(me.person, "role"),
            me.organisation.id))

    # 3. A task's whole life.
    log("[3] task lifecycle")
    sha = hashlib.sha256(b"photo of the cleared green belt").hexdigest()
    check(len(sha) == 64, "sha256 hex length")
    task = create_task(api, "绿化带内建筑垃圾未清运")
    c = submit_as_property(api, task, sha)
    verify_req = {"task_id": task.id, "request_id": new_id(), "etag": c.task.etag,
                  "comment": "现场核查，已清理干净"}
    closed = api.ok(TASKS + "VerifyTask", verify_req, TOKEN_STREET)
    check_eq(Api.enum_name(closed.task, "state"), "TASK_STATE_CLOSED", "state after VerifyTask")
    check_eq(closed.event.type, "task.verified", "VerifyTask event type")
    check(closed.task.close_time.seconds >= closed.task.submit_time.seconds > 0,
          "closed task: close_time %d, submit_time %d"
          % (closed.task.close_time.seconds, closed.task.submit_time.seconds))
    log("  ok: VerifyTask       as %-14s -> %s (event #%d %s)" % (
        TOKEN_STREET, Api.enum_name(closed.task, "state"), closed.event.seq, closed.event.type))
    again = api.ok(TASKS + "VerifyTask", verify_req, TOKEN_STREET)
    check_eq((again.event.seq, again.task.etag), (closed.event.seq, closed.task.etag),
             "VerifyTask retried with the same request_id: (event seq, etag)")
    log("  ok: VerifyTask retried with the same request_id -> the same answer (event #%d)"
        % again.event.seq)

    got = api.ok(TASKS + "GetTask", {"id": task.id, "include_history": True}, TOKEN_STREET)
    check_eq(Api.enum_name(got, "state"), "TASK_STATE_CLOSED", "GetTask state")
    history = [(e.seq, e.type, e.from_state, e.to_state, e.actor_person_id)
               for e in got.history]
    for e in history:
        log("    event #%-4d %-18s %-12s -> %-12s by %s" % e)
    check_eq([h[1] for h in history],
             ["task.created", "task.dispatched", "task.acknowledged", "task.started",
              "task.submitted", "task.verified"], "history event types, in order")
    seqs = [h[0] for h in history]
    check(all(a < b for a, b in zip(seqs, seqs[1:])),
          "history is not in increasing seq order: %s" % seqs)
    check_eq([(h[2], h[3]) for h in history[1:]],
             [("OPEN", "DISPATCHED"), ("DISPATCHED", "ACCEPTED"), ("ACCEPTED", "IN_PROGRESS"),
              ("IN_PROGRESS", "SUBMITTED"), ("SUBMITTED", "CLOSED")],
             "history state changes")
    check_eq([h[4] for h in history],
             ["li-min", "li-min", "zhang-wei", "zhang-wei", "zhang-wei", "li-min"],
             "history actors")
    check_eq(seqs[-1], closed.event.seq, "last history seq vs VerifyTask's event")
    check(all(e.subject == "tasks/" + task.id for e in got.history), "history subjects")
    log("  ok: GetTask include_history -> %d events in order" % len(history))

    # 4. The assignee may not verify its own work.
    log("[4] permissions")
    other = create_task(api, "单元门口堆放废旧家具")
    c2 = submit_as_property(api, other, hashlib.sha256(b"furniture removed").hexdigest())
    details = api.fails(TASKS + "VerifyTask",
                        {"task_id": other.id, "request_id": new_id(), "etag": c2.task.etag,
                         "comment": "自己核查自己"},
                        TOKEN_PROPERTY, grpc.StatusCode.PERMISSION_DENIED)
    log("  ok: VerifyTask as %s on its own submitted task -> PERMISSION_DENIED (%s)"
        % (TOKEN_PROPERTY, details))
    still = api.ok(TASKS + "GetTask", {"id": other.id}, TOKEN_STREET)
    check_eq(Api.enum_name(still, "state"), "TASK_STATE_SUBMITTED",
             "state after the denied VerifyTask")
    check_eq(still.etag, c2.task.etag, "etag after the denied VerifyTask")
    log("  ok: the task is still TASK_STATE_SUBMITTED, unchanged")


def main(argv):
    if len(argv) != 3:
        log("FAIL: usage: %s <rectify-server> <data-dir>" % argv[0])
        log("reflection client: 0 passed, 1 failed")
        return 2
    server_binary, data_dir = os.path.abspath(argv[1]), os.path.abspath(argv[2])

    # ctest's timeout sends SIGTERM: turn it into an exception so the server is
    # still stopped by the finally blocks.
    def on_term(signum, frame):
        raise Failure("interrupted by signal %d" % signum)
    signal.signal(signal.SIGTERM, on_term)

    workdir = tempfile.mkdtemp(prefix="rectify-reflection-")
    passed = failed = 0
    try:
        check(os.access(server_binary, os.X_OK), "not an executable: %s" % server_binary)
        check(os.path.isfile(os.path.join(data_dir, "service_levels.txt")),
              "not a data dir (no service_levels.txt): %s" % data_dir)
        run(server_binary, data_dir, workdir)
        passed = 1
    except Failure as e:
        failed = 1
        log("FAIL: %s" % e)
    except Exception:  # a bug in this script or an unexpected RPC error
        failed = 1
        log("FAIL: unexpected error:\n" + traceback.format_exc())
    except KeyboardInterrupt:
        failed = 1
        log("FAIL: interrupted")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    log("reflection client: %d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
