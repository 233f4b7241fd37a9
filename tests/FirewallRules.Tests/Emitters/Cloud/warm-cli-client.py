# The client of warm-cli.py, written as the tool's name (aws, az) into a folder put first on PATH, with SOCKET set above
# this line: hands the call's arguments, environment, working folder and standard streams to the warm server and exits
# with the exit code of the call it ran.
import json
import os
import socket
import struct
import sys

connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
connection.connect(SOCKET)
payload = json.dumps({'args': sys.argv[1:], 'env': dict(os.environ), 'cwd': os.getcwd()}).encode()
socket.send_fds(connection, [struct.pack('!Q', len(payload))], [0, 1, 2])
connection.sendall(payload)
code = b''
while len(code) < 4:
    chunk = connection.recv(4 - len(code))
    if not chunk:
        print(f'{sys.argv[0]}: the warm server ended the call without an exit code', file=sys.stderr)
        sys.exit(1)
    code += chunk
sys.exit(struct.unpack('!i', code)[0])
