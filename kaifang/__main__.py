from kaifang.cli import main

main()
