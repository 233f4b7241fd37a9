# A warm start for a Python command-line tool that a test's scripts call many times (the AWS CLI, azure-cli), whose
# every call spends most of its CPU importing the same modules: this process imports them once, then for each call of
# its client (the `aws` or `az` the scripts find first on PATH, see WarmCli.cs) forks a child that runs the tool's own
# entry script, unmodified, with the call's arguments, environment, working folder and standard streams (passed over
# the Unix socket), and sends back its exit code. Each call is a process of its own, forked from one that has only
# imported modules, so no call sees another's state; what importing did to the environment (awscli sets
# AWS_DATA_PATH) is done again over each call's own environment.
# Usage: python warm-cli.py SOCKET ENTRY_SCRIPT FIXED_VARIABLES MODULE...   (prints "ready" once it listens)
# FIXED_VARIABLES: a comma-separated list of the variables the modules read when imported (azure-cli's
# AZURE_CONFIG_DIR): a call whose environment differs in one is refused, since its own process would have read another.
import atexit
import importlib
import json
import os
import runpy
import signal
import socket
import struct
import sys
import threading
import traceback

socket_path, entry, fixed, *preload = sys.argv[1:]
fixed = {name: os.environ.get(name) for name in fixed.split(',') if name}
before = dict(os.environ)
for module in preload:
    importlib.import_module(module)
imported = {name: value for name, value in os.environ.items() if before.get(name) != value}


def receive(conn, size):
    data = b''
    while len(data) < size:
        chunk = conn.recv(size - len(data))
        if not chunk:
            raise EOFError('the client went away')
        data += chunk
    return data


def run(args):
    """The tool's entry script as `python ENTRY ARGS...` runs it: its exit code, what a fresh interpreter's exit does."""
    sys.argv = [entry, *args]
    try:
        runpy.run_path(entry, run_name='__main__')
        code = 0
    except SystemExit as stop:
        if stop.code is None or isinstance(stop.code, int):
            code = stop.code or 0
        else:
            print(stop.code, file=sys.stderr)
            code = 1
    except BaseException:
        traceback.print_exc()
        code = 1
    try:
        threading._shutdown()  # what the interpreter does at exit: wait for the tool's own threads,
        atexit._run_exitfuncs()  # then run its exit handlers (logging's flush among them)
    except BaseException:
        traceback.print_exc()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass
    return code & 0xFF


def serve(conn):
    header, fds, _, _ = socket.recv_fds(conn, 8, 3)
    request = json.loads(receive(conn, struct.unpack('!Q', header)[0]))
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    differing = [name for name, value in fixed.items() if request['env'].get(name) != value]
    if differing:
        print(f"warm-cli: this server imported its modules with another {', '.join(differing)}: start one for it", file=sys.stderr)
        conn.sendall(struct.pack('!i', 70))
        return
    os.environ.clear()
    os.environ.update(request['env'])
    os.environ.update(imported)
    os.chdir(request['cwd'])
    # The client waits for the exit code: when it is killed (a test's timeout), this call ends too.
    threading.Thread(target=lambda: (conn.recv(1), os._exit(1)), daemon=True).start()
    conn.sendall(struct.pack('!i', run(request['args'])))


def reap(*_):
    """Waits for the calls that ended, so that their CPU time counts in this process's children, as a tool's would."""
    try:
        while os.waitpid(-1, os.WNOHANG)[0] > 0:
            pass
    except ChildProcessError:
        pass


def main():
    signal.signal(signal.SIGCHLD, reap)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(socket_path)
    server.listen(64)
    print('ready', flush=True)
    while True:
        conn, _ = server.accept()
        if os.fork() == 0:
            try:
                server.close()
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                serve(conn)
            finally:
                os._exit(0)
        conn.close()


main()
